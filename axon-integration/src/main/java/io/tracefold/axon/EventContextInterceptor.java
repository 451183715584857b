package io.tracefold.axon;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.tracefold.core.internal.W3CTraceContext;
import java.util.List;
import java.util.function.BiFunction;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.axonframework.tracing.SpanFactory;

/**
 * Gives every published event a publish span and its {@code traceparent} when the event store was
 * built without Axon's event-bus span factory (as the plain {@code Configurer}'s
 * {@code configureEmbeddedEventStore} does). Events that already carry a context, because the store
 * was wired with the span factory, pass untouched, so each event has exactly one publish span.
 * With publish spans off, an event carries the current span's context (a publish span only when no
 * span of this process is current). Axon runs dispatch interceptors of a unit of work's events when
 * its root prepares the commit: the current span is then the root command's (also for events of
 * nested commands), or an event processor's batch span for commands its handlers send (documented
 * on {@code AxonTracefold.Builder#setEventPublishSpans}).
 */
final class EventContextInterceptor implements MessageDispatchInterceptor<EventMessage<?>> {

  // Span names per payload type: built once, not concatenated per event.
  private static final ClassValue<String> SPAN_NAMES =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> payloadType) {
          return "EventBus.publishEvent(" + payloadType.getSimpleName() + ')';
        }
      };

  private final Tracer tracer;
  private final SpanFactory spanFactory;
  private final boolean eventPublishSpans;

  EventContextInterceptor(Tracer tracer, SpanFactory spanFactory, boolean eventPublishSpans) {
    this.tracer = tracer;
    this.spanFactory = spanFactory;
    this.eventPublishSpans = eventPublishSpans;
  }

  @Override
  public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
    return (index, message) -> {
      try {
        if (message.getMetaData().containsKey(W3CTraceContext.TRACEPARENT)) {
          return message;
        }
        if (TracefoldSpanFactory.inheritsCurrentSpan(eventPublishSpans)) {
          return spanFactory.propagateContext(message); // publish spans off: the current span's
        }
        Span publish =
            tracer
                .spanBuilder(SPAN_NAMES.get(message.getPayloadType()))
                .setParent(Context.current())
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(TracefoldSpanFactory.MESSAGE_ID, message.getIdentifier())
                .setAttribute(TracefoldSpanFactory.PAYLOAD_TYPE, message.getPayloadType().getName())
                .startSpan();
        try (Scope ignored = publish.makeCurrent()) {
          return spanFactory.propagateContext(message);
        } finally {
          publish.end();
        }
      } catch (RuntimeException | LinkageError e) {
        // Fail open: an event without a context is counted at rehydration, never a failed commit.
        Guard.failed(e, "give an event its publish span");
        return message;
      }
    };
  }
}
