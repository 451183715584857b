package io.tracefold.axon;

import io.tracefold.core.Lineage;
import java.util.Set;
import java.util.function.Supplier;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.tracing.Span;
import org.axonframework.tracing.SpanScope;
import org.jspecify.annotations.Nullable;

/**
 * The {@code Repository.initializeState} span of one rehydration. While it is current, the
 * {@link TracedAggregateModel} of a traced aggregate records every replayed message into it; when
 * it ends, it links the OpenTelemetry span to the contributors before ending it. Never throws from
 * tracing code.
 */
final class RehydrationSpan extends ForwardingSpan {

  private static final ThreadLocal<RehydrationSpan> CURRENT = new ThreadLocal<>();

  private final String aggregateType;
  private final String aggregateId;
  private final RehydrationSpanFactory rehydration;
  private @Nullable ReconstructionRecorder recorder;
  private io.opentelemetry.api.trace.Span otelSpan = io.opentelemetry.api.trace.Span.getInvalid();
  private boolean failed;

  RehydrationSpan(Span delegate, String aggregateType, String aggregateId, RehydrationSpanFactory rehydration) {
    super(delegate);
    this.aggregateType = aggregateType;
    this.aggregateId = aggregateId;
    this.rehydration = rehydration;
  }

  /** Returns the rehydration running on this thread, or null. */
  static @Nullable RehydrationSpan current() {
    return CURRENT.get();
  }

  /**
   * Records one replayed message of a traced aggregate; {@code snapshotTypes} are the payload types
   * that make the first message a snapshot (Axon hands a snapshot only as the first message, so
   * later messages are not asked for their payload type, which a serialising store resolves again
   * on every call).
   */
  void record(AggregateTracing tracing, DomainEventMessage<?> message, Set<Class<?>> snapshotTypes) {
    // Kept small: the JIT inlines this into Axon's per-event loop, whose own calls it must still
    // inline (a large body here left Axon's getIdentifier call per event out of line).
    ReconstructionRecorder current = recorder;
    if (current == null) {
      recordFirst(tracing, message, snapshotTypes);
      return;
    }
    current.record(message, false);
  }

  private void recordFirst(AggregateTracing tracing, DomainEventMessage<?> message, Set<Class<?>> snapshotTypes) {
    ReconstructionRecorder current = rehydration.newRecorder(tracing, aggregateType, aggregateId);
    recorder = current;
    current.record(message, snapshotTypes.contains(message.getPayloadType()));
  }

  @Override
  public SpanScope makeCurrent() {
    io.opentelemetry.api.trace.Span before = OtelAxonSpan.currentOrInvalid();
    SpanScope scope = super.makeCurrent();
    io.opentelemetry.api.trace.Span after = OtelAxonSpan.currentOrInvalid();
    // The initializeState span's own OpenTelemetry span; none if the delegate made none current (a
    // no-op span factory): the span around it (a command's) is never linked or remembered instead.
    otelSpan = after != before ? after : io.opentelemetry.api.trace.Span.getInvalid();
    RehydrationSpan previous = CURRENT.get();
    CURRENT.set(this);
    LoadSpan.markRehydrated();
    return () -> {
      // set, not remove: a thread's next load then reuses its map entry instead of a new one.
      CURRENT.set(previous);
      scope.close();
    };
  }

  @Override
  public org.axonframework.tracing.Span recordException(Throwable t) {
    failed = true; // the load's own failure (an Error too: see runSupplier), reported before end()
    return super.recordException(t);
  }

  /** Span's own default, except that an Error counts as a failed load too. */
  @Override
  public <T> T runSupplier(Supplier<T> supplier) {
    return runSupplierRecordingErrors(supplier);
  }

  @Override
  public void end() {
    ReconstructionRecorder current = recorder;
    if (current != null) {
      try {
        Lineage next = current.finish(otelSpan, false, !failed);
        if (!failed) {
          rehydration.remember(aggregateType, aggregateId, next, otelSpan.getSpanContext());
        } else if (current.discarded()) {
          rehydration.forget(aggregateType, aggregateId); // the stream proved foreign before failing
        }
      } catch (RuntimeException | LinkageError e) {
        // Fail open: the load goes on (finish() counts its own errors on the span).
      }
    }
    super.end();
  }

}
