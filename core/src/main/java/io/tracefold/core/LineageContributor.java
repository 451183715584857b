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
 * contributor costs neither the hex round trip nor OpenTelemetry's validation of the strings, and
 * one pending contributor is a single 64-byte object (plus its link attributes, about 80 bytes, once
 * linked), not a
 * context with two strings.
 */
final class LineageContributor implements SpanContext {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final long traceIdHigh;
  private final long traceIdLow;
  private final long spanId;
  private final long sequence;
  private final byte flags;
  // Null for the default (empty) trace state, which is what nearly every context has.
  private final @Nullable TraceState traceState;
  private final @Nullable String eventType;
  // Link attributes, built on the first link and kept: pending contributors are linked on every
  // reconstruction. Their content is a prefix (kind, sequence, type) whose length the limit fixes,
  // so the size tells whether they were built for the limit at hand; one reference, never torn.
  private @Nullable Attributes linkAttributes;

  LineageContributor(
      long traceIdHigh,
      long traceIdLow,
      long spanId,
      byte flags,
      @Nullable TraceState traceState,
      long sequence,
      @Nullable String eventType) {
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.flags = flags;
    this.traceState = traceState == null || traceState.isEmpty() ? null : traceState;
    this.sequence = sequence;
    this.eventType = eventType;
  }

  /** Returns a contributor of the ids in {@code parsed}. */
  static LineageContributor of(ParsedTraceparent parsed, long sequence, @Nullable String eventType) {
    return new LineageContributor(
        parsed.traceIdHigh(), parsed.traceIdLow(), parsed.spanId(), parsed.flags(), null, sequence, eventType);
  }

  /** Returns the context of the event's span (this contributor itself). */
  SpanContext spanContext() {
    return this;
  }

  /** Returns the event's sequence number. */
  long sequence() {
    return sequence;
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
    appendHex(out, flags & 0xffL, 2);
  }

  private static void appendHex(StringBuilder out, long value, int digits) {
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      out.append(HEX[(int) (value >>> shift) & 0xf]);
    }
  }

  /** Returns the attributes of a link to this contributor under {@code limits}. */
  Attributes linkAttributes(LinkLimits limits) {
    int max = limits.getMaxAttributesPerLink();
    Attributes cached = linkAttributes;
    if (cached == null || cached.size() != Math.min(max, eventType == null ? 2 : 3)) {
      cached = LineageEngine.eventLinkAttributes(sequence, eventType, limits);
      linkAttributes = cached;
    }
    return cached;
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
    return TraceFlags.fromByte(flags);
  }

  @Override
  public boolean isSampled() {
    return (flags & 0x01) != 0;
  }

  @Override
  public TraceState getTraceState() {
    return traceState == null ? TraceState.getDefault() : traceState;
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
    return sequence == that.sequence
        && flags == that.flags
        && isSpan(that.traceIdHigh, that.traceIdLow, that.spanId)
        && java.util.Objects.equals(eventType, that.eventType);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(spanId) * 31 + Long.hashCode(sequence);
  }

  @Override
  public String toString() {
    return "LineageContributor{" + getTraceId() + '/' + getSpanId() + ", sequence=" + sequence + ", type="
        + eventType + '}';
  }
}
