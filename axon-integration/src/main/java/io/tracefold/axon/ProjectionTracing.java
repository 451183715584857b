package io.tracefold.axon;

import static io.tracefold.core.TracefoldAttributes.ENTITY_ID;
import static io.tracefold.core.TracefoldAttributes.ENTITY_TYPE;
import static io.tracefold.core.TracefoldAttributes.ERRORS;
import static io.tracefold.core.TracefoldAttributes.REPLAY;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.tracefold.core.Lineage;
import io.tracefold.core.LinkCollector;
import io.tracefold.core.LinkLimits;
import io.tracefold.core.Tracefold;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ReplayToken;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps the event handlers of {@link TracedProjection} classes: each handled event runs in a
 * {@code Projection.update(<Class>)} span that, after the handler succeeded, is linked to the event
 * and, through the entity's stored lineage, to every earlier event of the same read-model entity.
 * Store failures are logged and counted; the handler always runs, and its exceptions propagate.
 */
final class ProjectionTracing implements HandlerEnhancerDefinition {

  private static final Logger LOGGER = LoggerFactory.getLogger(ProjectionTracing.class);

  private final Tracefold tracefold;
  private final ProjectionLineageStore store;

  ProjectionTracing(Tracefold tracefold, ProjectionLineageStore store) {
    this.tracefold = tracefold;
    this.store = store;
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
    private final LinkLimits limits;
    private final Attributes lineageAttributes;

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
      this.limits = limits.build();
      this.lineageAttributes = Attributes.of(ENTITY_TYPE, entityType);
    }

    @Override
    public Object handle(Message<?> message, @Nullable T target) throws Exception {
      String entityId = message instanceof EventMessage ? ids.resolve((EventMessage<?>) message) : null;
      if (entityId == null) {
        return super.handle(message, target);
      }
      EventMessage<?> event = (EventMessage<?>) message;
      Span span = startSpan(event, entityId);
      Object result;
      try (Scope ignored = span.makeCurrent()) {
        result = super.handle(message, target);
      } catch (Exception | Error e) {
        span.recordException(e);
        span.end();
        throw e;
      }
      try {
        link(span, event, entityId);
      } finally {
        span.end();
      }
      return result;
    }

    private Span startSpan(EventMessage<?> event, String entityId) {
      SpanBuilder builder =
          tracefold.getTracer().spanBuilder(spanName).setSpanKind(SpanKind.CONSUMER)
              .setAttribute(ENTITY_TYPE, entityType)
              .setAttribute(ENTITY_ID, entityId);
      if (ReplayToken.isReplay(event)) {
        builder.setAttribute(REPLAY, true);
      }
      // Never join the command's trace (a replay would drag old events into old traces).
      SpanContext current = Span.current().getSpanContext();
      SpanContext origin = TracefoldSpanFactory.extract(event);
      if (current.isValid() && (origin == null || !origin.getTraceId().equals(current.getTraceId()))) {
        builder.setParent(Context.current());
      } else {
        builder.setNoParent();
      }
      return builder.startSpan();
    }

    private void link(Span span, EventMessage<?> event, String entityId) {
      long errors = 0;
      EntityLineage previous;
      try {
        previous = store.load(projection, entityId);
      } catch (RuntimeException e) {
        LOGGER.warn("Tracefold: could not load the lineage of {}/{}", projection, entityId, e);
        span.setAttribute(ERRORS, 1L);
        previous = null;
        errors++;
      }
      String eventId = event.getIdentifier();
      boolean redelivered = previous != null && eventId.equals(previous.lastEventId());
      if (previous != null && !redelivered && eventId.equals(previous.firstEventId())) {
        previous = null; // processed again from the entity's first event: a replay starts afresh
      }
      LinkCollector collector = tracefold.newCollector();
      if (!redelivered) {
        EventContexts.offer(collector, event, EventContexts.sequenceOf(event, 0));
      }
      Lineage base = previous == null ? Lineage.empty() : previous.lineage();
      Lineage next = tracefold.append(span, collector, base, limits, 0, lineageAttributes);
      if (errors > 0 || redelivered || !span.getSpanContext().isSampled()) {
        // Never overwrite a lineage we could not read; an unexported update must not be linked later.
        return;
      }
      try {
        String first = previous == null || previous.firstEventId() == null ? eventId : previous.firstEventId();
        store.save(projection, entityId, EntityLineage.of(next, first, eventId));
      } catch (RuntimeException e) {
        LOGGER.warn("Tracefold: could not store the lineage of {}/{}", projection, entityId, e);
        span.setAttribute(ERRORS, 1L);
      }
    }
  }
}
