package io.tracefold.axon;

import io.opentelemetry.api.trace.SpanContext;
import io.tracefold.core.LinkCollector;
import io.tracefold.core.internal.ParsedTraceparent;
import io.tracefold.core.internal.W3CTraceContext;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MetaData;
import org.jspecify.annotations.Nullable;

/** Reading the trace context an event's metadata stores; never throws on bad values. */
final class EventContexts {

  private EventContexts() {}

  /** Offers the context stored in {@code event} to {@code collector}, as event {@code sequence}. */
  static void offer(LinkCollector collector, EventMessage<?> event, long sequence) {
    MetaData metaData = event.getMetaData();
    collector.offer(
        metaData.get(W3CTraceContext.TRACEPARENT),
        metaData.get(W3CTraceContext.TRACESTATE),
        sequence,
        event.getPayloadType().getSimpleName());
  }

  /** Returns the event's sequence in its aggregate's stream, or {@code otherwise} for other events. */
  static long sequenceOf(EventMessage<?> event, long otherwise) {
    return event instanceof DomainEventMessage ? ((DomainEventMessage<?>) event).getSequenceNumber() : otherwise;
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
