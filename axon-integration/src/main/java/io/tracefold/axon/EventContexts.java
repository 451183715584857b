package io.tracefold.axon;

import io.opentelemetry.api.trace.SpanContext;
import io.tracefold.core.LinkCollector;
import io.tracefold.core.internal.ParsedTraceparent;
import io.tracefold.core.internal.W3CTraceContext;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MetaData;
import org.jspecify.annotations.Nullable;

/** Reading the trace context an event's metadata stores; never throws on bad values. */
final class EventContexts {

  private EventContexts() {}

  /** Stands for metadata that could not be read: offered as a malformed context, so counted invalid. */
  private static final String UNREADABLE = "unreadable";

  /**
   * Offers the context stored in {@code event} to {@code collector}, as event {@code sequence}.
   * Never throws: metadata that cannot be read (e.g. corrupt in the store, read lazily) is counted
   * as an invalid context.
   */
  static void offer(LinkCollector collector, EventMessage<?> event, long sequence) {
    Object traceparent;
    Object tracestate;
    try {
      MetaData metaData = event.getMetaData();
      traceparent = metaData.get(W3CTraceContext.TRACEPARENT);
      tracestate = metaData.get(W3CTraceContext.TRACESTATE);
    } catch (RuntimeException | LinkageError e) {
      Guard.failed(e, "read an event's metadata");
      traceparent = UNREADABLE;
      tracestate = null;
    }
    collector.offer(traceparent, tracestate, sequence, payloadTypeName(event));
  }

  /** Returns the simple name of the event's payload type, or null if it cannot be resolved. */
  private static @Nullable String payloadTypeName(EventMessage<?> event) {
    try {
      return event.getPayloadType().getSimpleName();
    } catch (RuntimeException | LinkageError e) {
      return null;
    }
  }

  /** Returns the event's sequence in its aggregate's stream, or {@code otherwise} for other events. */
  static long sequenceOf(EventMessage<?> event, long otherwise) {
    return event instanceof DomainEventMessage ? ((DomainEventMessage<?>) event).getSequenceNumber() : otherwise;
  }

  /**
   * Returns whether {@code message} carries a valid context of trace {@code traceId} (32 lowercase
   * hex characters), without building its {@link SpanContext}. Never throws: unreadable metadata is
   * no context.
   */
  static boolean carriesTrace(Message<?> message, String traceId) {
    Object traceparent;
    try {
      traceparent = message.getMetaData().get(W3CTraceContext.TRACEPARENT);
    } catch (RuntimeException | LinkageError e) {
      Guard.failed(e, "read a message's trace context");
      return false;
    }
    if (!(traceparent instanceof String)) {
      SpanContext context = spanContext(traceparent, null);
      return context != null && context.getTraceId().equals(traceId);
    }
    String value = (String) traceparent;
    // The trace id sits at 3..35 in every version of the format.
    return value.regionMatches(3, traceId, 0, 32)
        && W3CTraceContext.parseTraceparent(value, new ParsedTraceparent());
  }

  /** Returns the context of stored {@code traceparent}/{@code tracestate} values, or null. */
  static @Nullable SpanContext spanContext(@Nullable Object traceparent, @Nullable Object tracestate) {
    if (!(traceparent instanceof CharSequence)) {
      return null;
    }
    ParsedTraceparent parsed = new ParsedTraceparent();
    if (!W3CTraceContext.parseTraceparent((CharSequence) traceparent, parsed)) {
      return null;
    }
    return parsed.toSpanContext(
        tracestate instanceof CharSequence ? W3CTraceContext.parseTracestate((CharSequence) tracestate) : null);
  }
}
