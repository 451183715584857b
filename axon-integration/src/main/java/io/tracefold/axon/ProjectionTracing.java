package io.tracefold.axon;

import static io.tracefold.core.TracefoldAttributes.ENTITY_ID;
import static io.tracefold.core.TracefoldAttributes.ENTITY_TYPE;
import static io.tracefold.core.TracefoldAttributes.ERRORS;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_DISCARDED;
import static io.tracefold.core.TracefoldAttributes.REPLAY;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.tracefold.core.Lineage;
import io.tracefold.core.LinkCollector;
import io.tracefold.core.LinkLimits;
import io.tracefold.core.LinkOptions;
import io.tracefold.core.Tracefold;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.axonframework.tracing.SpanScope;
import org.jspecify.annotations.Nullable;

/**
 * Wraps the event handlers of {@link TracedProjection} classes: each handled event runs in a
 * {@code Projection.update(<Class>)} span that, after the handler succeeded, is linked to the event
 * and, through the entity's stored lineage, to every earlier event of the same read-model entity.
 * Under Tracefold's processor spans, the first traced projection handling an event takes over the
 * event's {@code EventProcessor.process} span (renamed, a root linked to the event) instead of
 * starting a child of it: one span per update; a second projection of the same event gets its own.
 * The lineage records the event whatever the span's sampling decision, and is written with
 * compare-and-set when the unit of work commits (see {@link LineageWrites}). Tracing failures
 * (unreadable metadata, a failing store, a failing OpenTelemetry) are logged once per cause and
 * counted; the handler always runs, and only its own exceptions propagate.
 */
final class ProjectionTracing implements HandlerEnhancerDefinition {

  private final Tracefold tracefold;
  private final LineageWrites writes;

  ProjectionTracing(Tracefold tracefold, ProjectionLineageStore store) {
    this.tracefold = tracefold;
    this.writes = new LineageWrites(tracefold, store);
  }

  @Override
  public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
    TracedProjection annotation = original.declaringClass().getAnnotation(TracedProjection.class);
    if (annotation == null || !original.canHandleMessageType(EventMessage.class)) {
      return original;
    }
    return new TracedHandler<>(original, original.declaringClass(), annotation);
  }

  private final class TracedHandler<T> extends WrappedMessageHandlingMember<T> {
    private final String projection;
    private final String spanName;
    private final String entityType;
    private final EntityIdResolver ids;
    private final LinkOptions options;
    // For an update that took over the event's process span, which links the event already.
    private final LinkOptions claimedOptions;

    TracedHandler(MessageHandlingMember<T> delegate, Class<?> type, TracedProjection annotation) {
      super(delegate);
      this.projection = type.getName();
      this.spanName = "Projection.update(" + type.getSimpleName() + ')';
      this.entityType = annotation.entityType().isEmpty() ? type.getSimpleName() : annotation.entityType();
      this.ids = new EntityIdResolver(annotation.idProperty());
      LinkLimits.Builder limits = tracefold.getLinkLimits().toBuilder();
      if (annotation.maxDirectLinks() != 0) {
        try {
          limits.setMaxDirectLinks(annotation.maxDirectLinks());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("@TracedProjection on " + type.getName() + ": " + e.getMessage(), e);
        }
      }
      this.options = LinkOptions.builder()
          .setLimits(limits.build())
          .setLineageAttributes(Attributes.of(ENTITY_TYPE, entityType))
          .build();
      this.claimedOptions = options.toBuilder().setNewLinkedByCaller(true).setReservedLinks(1).build();
    }

    @Override
    public Object handle(Message<?> message, @Nullable T target) throws Exception {
      String entityId = message instanceof EventMessage ? ids.resolve((EventMessage<?>) message) : null;
      if (entityId == null) {
        return super.handle(message, target);
      }
      EventMessage<?> event = (EventMessage<?>) message;
      // One span per update where possible: the event's process span (Tracefold's, recording, not
      // yet taken by another projection) becomes the update span; the processor ends it.
      Span span = adopt(ProcessorSpanFactory.ProcessSpan.claim(event), entityId);
      boolean claimed = span != null;
      if (!claimed) {
        span = startSpan(event, entityId);
      }
      if (span == null) {
        return super.handle(message, target);
      }
      Object result;
      if (claimed) {
        result = super.handle(message, target); // already current; the processor records a failure
      } else {
        // Neither making the span current nor closing its scope throws: only the handler's own
        // exceptions reach the catch.
        try (SpanScope ignored = OtelAxonSpan.makeCurrent(span)) {
          result = super.handle(message, target);
        } catch (Exception | Error e) {
          endFailed(span, e);
          throw e;
        }
      }
      try {
        link(span, event, entityId, claimed);
      } catch (RuntimeException | LinkageError e) {
        Guard.failed(e, "link a projection update");
        markError(span);
      } finally {
        if (!claimed) {
          end(span);
        }
      }
      return result;
    }

    /** Returns the claimed process span named and marked as this update's, or null. */
    private @Nullable Span adopt(@Nullable Span process, String entityId) {
      if (process == null) {
        return null;
      }
      try {
        process.updateName(spanName);
        process.setAttribute(ENTITY_TYPE, entityType);
        process.setAttribute(ENTITY_ID, AggregateTracing.boundedId(entityId));
        return process;
      } catch (RuntimeException | LinkageError e) {
        Guard.failed(e, "name a process span as a projection update");
        return null;
      }
    }

    /** Returns the started update span, or null if OpenTelemetry failed (the handler runs untraced). */
    private @Nullable Span startSpan(EventMessage<?> event, String entityId) {
      try {
        SpanBuilder builder =
            tracefold.getTracer().spanBuilder(spanName).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(ENTITY_TYPE, entityType)
                .setAttribute(ENTITY_ID, AggregateTracing.boundedId(entityId));
        if (ReplayToken.isReplay(event)) {
          builder.setAttribute(REPLAY, true);
        }
        // Never join the command's trace (a replay would drag old events into old traces).
        SpanContext current = Span.current().getSpanContext();
        if (current.isValid() && !EventContexts.carriesTrace(event, current.getTraceId())) {
          builder.setParent(Context.current());
        } else {
          builder.setNoParent();
        }
        return builder.startSpan();
      } catch (RuntimeException | LinkageError e) {
        Guard.failed(e, "start a projection update span");
        return null;
      }
    }

    private void link(Span span, EventMessage<?> event, String entityId, boolean claimed) {
      LineageWrites.Entry entry = writes.entry(projection, entityId, options);
      if (entry == null) {
        // The stored lineage could not be read: link the event itself, never overwrite the lineage.
        markError(span);
        if (!claimed) { // a process span links its event already
          LinkCollector own = tracefold.newCollector();
          EventContexts.offer(own, event, EventContexts.sequenceOf(event, 0));
          tracefold.link(span, own, Lineage.empty(), options);
        }
        return;
      }
      String eventId = event.getIdentifier();
      Lineage base = entry.current();
      boolean redelivered = base.lastEventId() != null && Lineage.anchorMatches(base.lastEventId(), eventId);
      if (!redelivered && base.firstEventId() != null && Lineage.anchorMatches(base.firstEventId(), eventId)) {
        base = Lineage.empty(); // processed again from the entity's first event: a replay starts afresh
      } else if (!redelivered && isNewStream(event, base)) {
        span.setAttribute(LINEAGE_DISCARDED, true); // the event store was emptied and the id reused
        base = Lineage.empty();
      }
      LinkCollector collector = ReusedCollectors.acquire(tracefold);
      if (!redelivered) {
        EventContexts.offer(collector, event, EventContexts.sequenceOf(event, 0));
      }
      Lineage next =
          tracefold.link(span, collector, base, claimed ? claimedOptions : options).anchoredTo(eventId, eventId);
      ReusedCollectors.release(collector);
      if (!redelivered) {
        entry.record(next, event, base != entry.current());
      }
    }

    /**
     * Returns whether {@code event} starts another stream under an id the lineage already knows:
     * the first event (sequence 0) of the aggregate that is the entity, yet not the first event the
     * lineage recorded. Only detectable where the entity is the aggregate.
     */
    private boolean isNewStream(EventMessage<?> event, Lineage base) {
      return ids.isAggregateId()
          && base.firstEventId() != null
          && event instanceof DomainEventMessage
          && ((DomainEventMessage<?>) event).getSequenceNumber() == 0;
    }
  }

  private static void endFailed(Span span, Throwable e) {
    try {
      span.recordException(e);
      span.end();
    } catch (RuntimeException | LinkageError ignored) {
      // the handler's own exception is what propagates
    }
  }

  private static void end(Span span) {
    try {
      span.end();
    } catch (RuntimeException | LinkageError e) {
      Guard.failed(e, "end a projection update span");
    }
  }

  private static void markError(Span span) {
    try {
      span.setAttribute(ERRORS, 1L);
    } catch (RuntimeException | LinkageError ignored) {
      // nothing more to do
    }
  }
}
