package io.tracefold.core.internal;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import org.jspecify.annotations.Nullable;

/**
 * Mutable, reusable holder for a parsed {@code traceparent}: primitives only, so parsing allocates
 * nothing.
 *
 * <p>Filled by {@link W3CTraceContext#parseTraceparent(CharSequence, ParsedTraceparent)}; a failed
 * parse leaves the previous values untouched. A new holder contains all-zero (invalid) ids. Not
 * thread-safe: use one holder per thread or per collector.
 */
public final class ParsedTraceparent {

  private static final int SAMPLED = 0x01;

  private long traceIdHigh;
  private long traceIdLow;
  private long spanId;
  private byte flags;

  /** Creates an empty holder (all-zero, invalid ids). */
  public ParsedTraceparent() {}

  /** Returns the high (first) 8 bytes of the trace id. */
  public long traceIdHigh() {
    return traceIdHigh;
  }

  /** Returns the low (last) 8 bytes of the trace id. */
  public long traceIdLow() {
    return traceIdLow;
  }

  /** Returns the parent (span) id. */
  public long spanId() {
    return spanId;
  }

  /**
   * Returns the trace flags. For a {@code traceparent} of an unknown (future) version only the
   * sampled bit is kept.
   */
  public byte flags() {
    return flags;
  }

  /** Returns whether the sampled flag ({@code flags & 0x01}) is set. */
  public boolean isSampled() {
    return (flags & SAMPLED) != 0;
  }

  /**
   * Returns a remote {@link SpanContext} built from the parsed values and {@code traceState}
   * ({@link TraceState#getDefault()} when null). Allocates: call it only when a link is emitted.
   * Returns an invalid context if the holder was never filled.
   */
  public SpanContext toSpanContext(@Nullable TraceState traceState) {
    return SpanContext.createFromRemoteParent(
        TraceId.fromLongs(traceIdHigh, traceIdLow),
        SpanId.fromLong(spanId),
        TraceFlags.fromByte(flags),
        traceState == null ? TraceState.getDefault() : traceState);
  }

  public void set(long traceIdHigh, long traceIdLow, long spanId, byte flags) {
    this.traceIdHigh = traceIdHigh;
    this.traceIdLow = traceIdLow;
    this.spanId = spanId;
    this.flags = flags;
  }

  @Override
  public String toString() {
    return "ParsedTraceparent{" + TraceId.fromLongs(traceIdHigh, traceIdLow) + '-'
        + SpanId.fromLong(spanId) + '-' + TraceFlags.fromByte(flags).asHex() + '}';
  }
}
