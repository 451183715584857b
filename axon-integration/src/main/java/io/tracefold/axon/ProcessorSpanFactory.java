package io.tracefold.axon;

import static io.tracefold.core.TracefoldAttributes.EVENT_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND_EVENT;
import static io.tracefold.core.TracefoldAttributes.REPLAY;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.tracefold.core.Lineage;
import io.tracefold.core.LinkCollector;
import io.tracefold.core.Tracefold;
import java.util.List;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessorSpanFactory;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.tracing.NoOpSpanFactory;
import org.axonframework.tracing.Span;
import org.axonframework.tracing.SpanScope;
import org.jspecify.annotations.Nullable;

/**
 * Event processor spans that never join the command's trace: every {@code EventProcessor.process}
 * span is a root with a link to the event's span, and a streaming processor's batch span is a root
 * that reaches every event of the batch (through lineage spans beyond the budget). Replays are
 * marked {@code tracefold.replay=true}.
 */
final class ProcessorSpanFactory implements EventProcessorSpanFactory {

  private final Tracefold tracefold;
  private final Tracer tracer;

  ProcessorSpanFactory(Tracefold tracefold) {
    this.tracefold = tracefold;
    this.tracer = tracefold.getTracer();
  }

  @Override
  public Span createBatchSpan(boolean streaming, List<? extends EventMessage<?>> eventMessages) {
    if (!streaming) {
      return NoOpSpanFactory.NoOpSpan.INSTANCE;
    }
    try {
      SpanBuilder builder =
          tracer.spanBuilder("StreamingEventProcessor.batch").setNoParent().setSpanKind(SpanKind.CONSUMER);
      if (!eventMessages.isEmpty() && ReplayToken.isReplay(eventMessages.get(0))) {
        builder.setAttribute(REPLAY, true);
      }
      return new BatchSpan(new OtelAxonSpan(builder), eventMessages);
    } catch (RuntimeException | LinkageError e) {
      return TracefoldSpanFactory.noSpan(e);
    }
  }

  // Span names per payload type: built once, not concatenated per event.
  private static final ClassValue<String> PROCESS_SPAN_NAMES =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> payloadType) {
          return "EventProcessor.process(" + payloadType.getSimpleName() + ')';
        }
      };

  @Override
  public Span createProcessEventSpan(boolean streaming, EventMessage<?> eventMessage) {
    try {
      return processEventSpan(eventMessage);
    } catch (RuntimeException | LinkageError e) {
      return TracefoldSpanFactory.noSpan(e);
    }
  }

  private Span processEventSpan(EventMessage<?> eventMessage) {
    SpanBuilder builder =
        tracer
            .spanBuilder(PROCESS_SPAN_NAMES.get(eventMessage.getPayloadType()))
            .setNoParent()
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute(TracefoldSpanFactory.MESSAGE_ID, eventMessage.getIdentifier());
    SpanContext origin = TracefoldSpanFactory.extract(eventMessage);
    if (origin != null) {
      long sequence = EventContexts.sequenceOf(eventMessage, 0);
      builder.addLink(origin, Attributes.of(LINK_KIND, LINK_KIND_EVENT, EVENT_SEQUENCE, sequence));
    }
    if (ReplayToken.isReplay(eventMessage)) {
      builder.setAttribute(REPLAY, true);
    }
    return new ProcessSpan(new OtelAxonSpan(builder), eventMessage.getIdentifier());
  }

  /**
   * The process span of one event. While it is current, the first {@link TracedProjection} handler
   * of the event may {@link #claim} it as its {@code Projection.update} span (one span per update
   * instead of two); it already links the event, and the processor ends it.
   */
  static final class ProcessSpan extends ForwardingSpan {
    private static final ContextKey<ProcessSpan> KEY = ContextKey.named("tracefold.process-span");

    private final OtelAxonSpan delegate;
    private final String eventId;
    private boolean claimed;

    ProcessSpan(OtelAxonSpan delegate, String eventId) {
      super(delegate);
      this.delegate = delegate;
      this.eventId = eventId;
    }

    @Override
    public SpanScope makeCurrent() {
      io.opentelemetry.api.trace.Span span = delegate.otelSpan();
      if (!span.getSpanContext().isValid()) {
        return delegate.makeCurrent();
      }
      Context context;
      try {
        context = Context.current().with(span).with(KEY, this);
      } catch (RuntimeException | LinkageError e) {
        Guard.failed(e, "make a span current");
        return () -> {};
      }
      return OtelAxonSpan.makeCurrent(context);
    }

    /**
     * Returns the recording process span of {@code event} for a traced projection to use as its
     * update span, once; null if there is none current on this thread, it is not recording (a
     * sampler dropped it: the projection decides about its own span), or it was claimed already.
     */
    static io.opentelemetry.api.trace.@Nullable Span claim(EventMessage<?> event) {
      try {
        ProcessSpan process = Context.current().get(KEY);
        if (process == null || process.claimed) {
          return null;
        }
        io.opentelemetry.api.trace.Span span = process.delegate.otelSpan();
        if (!span.isRecording()
            || io.opentelemetry.api.trace.Span.current() != span
            || !process.eventId.equals(event.getIdentifier())) {
          return null;
        }
        process.claimed = true;
        return span;
      } catch (RuntimeException | LinkageError e) {
        Guard.failed(e, "read the current process span");
        return null;
      }
    }
  }

  /** A batch span that, when it ends, links every event of the batch. */
  private final class BatchSpan extends ForwardingSpan {
    private final OtelAxonSpan delegate;
    private final List<? extends EventMessage<?>> events;

    BatchSpan(OtelAxonSpan delegate, List<? extends EventMessage<?>> events) {
      super(delegate);
      this.delegate = delegate;
      this.events = events;
    }

    @Override
    public void end() {
      try {
        LinkCollector collector = tracefold.newCollector();
        long position = 0;
        for (EventMessage<?> event : events) {
          EventContexts.offer(collector, event, EventContexts.sequenceOf(event, position));
          position++;
        }
        tracefold.link(delegate.otelSpan(), collector, Lineage.empty());
      } catch (RuntimeException | LinkageError e) {
        // Fail open: an event whose metadata cannot be read is counted missing, others still link.
        Guard.failed(e, "link a batch span");
      }
      super.end();
    }
  }
}
