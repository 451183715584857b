package io.tracefold.axon;

import static io.tracefold.core.TracefoldAttributes.CACHE_HIT;
import static io.tracefold.core.TracefoldAttributes.ENTITY_ID;
import static io.tracefold.core.TracefoldAttributes.ENTITY_TYPE;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND_RECONSTRUCTION;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import java.util.function.Supplier;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.tracing.Span;
import org.axonframework.tracing.SpanScope;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Repository.load} span. A load that rebuilds nothing (a {@code
 * CachingEventSourcingRepository} cache hit) does not lose provenance silently: it is marked
 * {@code tracefold.cache.hit} and links the aggregate's latest reconstruction span, which reaches
 * every event up to that reconstruction; later events were applied live in this process, inside
 * the traced commands that produced them.
 */
final class LoadSpan extends ForwardingSpan {

  private static final ThreadLocal<LoadSpan> CURRENT = new ThreadLocal<>();

  private final String aggregateId;
  private final LineageCheckpoints checkpoints;
  private io.opentelemetry.api.trace.Span otelSpan = io.opentelemetry.api.trace.Span.getInvalid();
  private boolean rehydrated;
  // The type of the loaded aggregate as Axon names it: the load span factory is only told the id.
  private @Nullable String aggregateType;

  LoadSpan(Span delegate, String aggregateId, LineageCheckpoints checkpoints) {
    super(delegate);
    this.aggregateId = aggregateId;
    this.checkpoints = checkpoints;
  }

  /** Tells the load running on this thread, if any, that it rebuilt the aggregate. */
  static void markRehydrated() {
    LoadSpan load = CURRENT.get();
    if (load != null) {
      load.rehydrated = true;
    }
  }

  @Override
  public <T> T runSupplier(Supplier<T> supplier) {
    // Span's own default (Errors recorded too), plus a look at the loaded aggregate's type.
    return runSupplierRecordingErrors(() -> {
      T result = supplier.get();
      if (result instanceof Aggregate) {
        try {
          aggregateType = ((Aggregate<?>) result).type();
        } catch (RuntimeException | LinkageError e) {
          // fail open: the load is returned as it is
        }
      }
      return result;
    });
  }

  @Override
  public SpanScope makeCurrent() {
    SpanScope scope = super.makeCurrent();
    otelSpan = OtelAxonSpan.currentOrInvalid(); // never throws: the scope above is closed below
    LoadSpan previous = CURRENT.get();
    CURRENT.set(this);
    return () -> {
      // set, not remove: a thread's next load then reuses its map entry instead of a new one.
      CURRENT.set(previous);
      scope.close();
    };
  }

  @Override
  public void end() {
    try {
      String type = aggregateType;
      if (!rehydrated && type != null && otelSpan.isRecording()) {
        SpanContext reconstruction = checkpoints.lastReconstruction(type, aggregateId);
        if (reconstruction != null) {
          otelSpan.setAttribute(CACHE_HIT, true);
          otelSpan.setAttribute(ENTITY_TYPE, type);
          otelSpan.setAttribute(ENTITY_ID, AggregateTracing.boundedId(aggregateId));
          otelSpan.addLink(reconstruction, Attributes.of(LINK_KIND, LINK_KIND_RECONSTRUCTION));
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // Fail open.
    }
    super.end();
  }

}
