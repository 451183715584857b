package io.tracefold.core;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.tracefold.core.internal.ParsedTraceparent;
import org.jspecify.annotations.Nullable;

/**
 * A contributor kept in a {@link Lineage} because it is not yet under a full lineage node: the
 * span of an event, with what its link says about the event.
 *
 * <p>It is its own (remote) {@link SpanContext}, held as primitives: no hex strings are made for
 * it unless someone asks for them (an exporter, once per exported link), so recording a
 * contributor costs neither the hex round trip nor OpenTelemetry's validation of the strings. One
 * is a 48-byte object (trace flags packed into the top byte of the sequence, a non-empty trace
 * state only in a subclass); a lineage keeps its pending contributors packed in
 * {@link PendingContributors} (36 bytes each) and makes these objects only to link or encode them.
 */
class LineageContributor implements SpanContext {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** The highest sequence number kept as it is; higher ones (never seen in practice) are kept as this. */
  static final long MAX_SEQUENCE = (1L << 56) - 1;

  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  // The sequence number in the low 56 bits, the trace flags in the top 8.
  private final long sequenceAndFlags;
  private final @Nullable String eventType;

  LineageContributor(
      long traceIdHigh,
      long traceIdLow,
      long spanId,
      byte flags,
      long sequence,
      @Nullable String eventType) {
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.sequenceAndFlags = pack(sequence, flags);
    this.eventType = eventType;
  }

  /** Returns a contributor; one that keeps {@code traceState} if it is not empty. */
  static LineageContributor create(
      long traceIdHigh,
      long traceIdLow,
      long spanId,
      byte flags,
      @Nullable TraceState traceState,
      long sequence,
      @Nullable String eventType) {
    if (traceState == null || traceState.isEmpty()) {
      return new LineageContributor(traceIdHigh, traceIdLow, spanId, flags, sequence, eventType);
    }
    return new WithTraceState(traceIdHigh, traceIdLow, spanId, flags, traceState, sequence, eventType);
  }

  /** Returns a contributor of the ids in {@code parsed}. */
  static LineageContributor of(ParsedTraceparent parsed, long sequence, @Nullable String eventType) {
    return new LineageContributor(
        parsed.traceIdHigh(), parsed.traceIdLow(), parsed.spanId(), parsed.flags(), sequence, eventType);
  }

  private static long pack(long sequence, byte flags) {
    long kept = sequence < 0 ? 0 : Math.min(sequence, MAX_SEQUENCE);
    return kept | ((flags & 0xffL) << 56);
  }

  /** Returns the sequence number of a packed sequence-and-flags value. */
  static long sequenceOf(long sequenceAndFlags) {
    return sequenceAndFlags & MAX_SEQUENCE;
  }

  /** Returns the trace flags of a packed sequence-and-flags value. */
  static byte flagsOf(long sequenceAndFlags) {
    return (byte) (sequenceAndFlags >>> 56);
  }

  /** Writes trace id high, low, span id and the packed sequence and flags into {@code to[at..at+3]}. */
  void copyIds(long[] to, int at) {
    to[at] = traceIdHigh;
    to[at + 1] = traceIdLow;
    to[at + 2] = spanId;
    to[at + 3] = sequenceAndFlags;
  }

  /** Returns the trace state kept (non-empty), or null. */
  @Nullable TraceState keptTraceState() {
    return null;
  }

  /** Returns the context of the event's span (this contributor itself). */
  SpanContext spanContext() {
    return this;
  }

  /** Returns the event's sequence number. */
  long sequence() {
    return sequenceOf(sequenceAndFlags);
  }

  /** Returns the event's payload type, or null. */
  @Nullable String eventType() {
    return eventType;
  }

  /** Returns whether this is the span with these ids. */
  boolean isSpan(long traceIdHigh, long traceIdLow, long spanId) {
    return this.spanId == spanId && this.traceIdLow == traceIdLow && this.traceIdHigh == traceIdHigh;
  }

  /** Appends the 32 + 16 + 2 lowercase hex characters of trace id, span id and flags. */
  void appendIds(StringBuilder out) {
    appendHex(out, traceIdHigh, 16);
    appendHex(out, traceIdLow, 16);
    appendHex(out, spanId, 16);
    appendHex(out, flagsOf(sequenceAndFlags) & 0xffL, 2);
  }

  private static void appendHex(StringBuilder out, long value, int digits) {
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      out.append(HEX[(int) (value >>> shift) & 0xf]);
    }
  }

  /** Returns the attributes of a link to this contributor under {@code limits} (built anew). */
  Attributes linkAttributes(LinkLimits limits) {
    return LineageEngine.eventLinkAttributes(sequence(), eventType, limits);
  }

  @Override
  public String getTraceId() {
    return TraceId.fromLongs(traceIdHigh, traceIdLow);
  }

  @Override
  public String getSpanId() {
    return SpanId.fromLong(spanId);
  }

  @Override
  public TraceFlags getTraceFlags() {
    return TraceFlags.fromByte(flagsOf(sequenceAndFlags));
  }

  @Override
  public boolean isSampled() {
    return (flagsOf(sequenceAndFlags) & 0x01) != 0;
  }

  @Override
  public TraceState getTraceState() {
    return TraceState.getDefault();
  }

  @Override
  public boolean isValid() {
    // Built only from parsed, validated ids; checked again without making strings.
    return (traceIdHigh != 0 || traceIdLow != 0) && spanId != 0;
  }

  @Override
  public boolean isRemote() {
    return true;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LineageContributor)) {
      return false;
    }
    LineageContributor that = (LineageContributor) o;
    // Whether a trace state was kept is irrelevant: a decoded contributor equals the encoded one.
    return sequenceAndFlags == that.sequenceAndFlags
        && isSpan(that.traceIdHigh, that.traceIdLow, that.spanId)
        && java.util.Objects.equals(eventType, that.eventType);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(spanId) * 31 + Long.hashCode(sequenceAndFlags);
  }

  @Override
  public String toString() {
    return "LineageContributor{" + getTraceId() + '/' + getSpanId() + ", sequence=" + sequence() + ", type="
        + eventType + '}';
  }

  /** A contributor whose span context has a non-empty trace state. */
  private static final class WithTraceState extends LineageContributor {
    private final TraceState traceState;

    WithTraceState(
        long traceIdHigh,
        long traceIdLow,
        long spanId,
        byte flags,
        TraceState traceState,
        long sequence,
        @Nullable String eventType) {
      super(traceIdHigh, traceIdLow, spanId, flags, sequence, eventType);
      this.traceState = traceState;
    }

    @Override
    public TraceState getTraceState() {
      return traceState;
    }

    @Override
    @Nullable TraceState keptTraceState() {
      return traceState;
    }
  }
}
