package io.tracefold.axon;

import io.opentelemetry.api.trace.SpanContext;
import io.tracefold.core.Lineage;
import io.tracefold.core.Tracefold;
import org.axonframework.modelling.command.RepositorySpanFactory;
import org.axonframework.tracing.Span;

/**
 * The {@link RepositorySpanFactory} that turns every {@code initializeState} span into a
 * {@link RehydrationSpan}, and the per-aggregate checkpoint memory those spans share.
 */
final class RehydrationSpanFactory implements RepositorySpanFactory {

  private final RepositorySpanFactory delegate;
  private final Tracefold tracefold;
  private final LineageCheckpoints checkpoints;

  RehydrationSpanFactory(RepositorySpanFactory delegate, Tracefold tracefold, LineageCheckpoints checkpoints) {
    this.delegate = delegate;
    this.tracefold = tracefold;
    this.checkpoints = checkpoints;
  }

  @Override
  public Span createLoadSpan(String aggregateId) {
    return new LoadSpan(delegate.createLoadSpan(aggregateId), aggregateId, checkpoints);
  }

  @Override
  public Span createObtainLockSpan(String aggregateId) {
    return delegate.createObtainLockSpan(aggregateId);
  }

  @Override
  public Span createInitializeStateSpan(String aggregateType, String aggregateId) {
    return new RehydrationSpan(
        delegate.createInitializeStateSpan(aggregateType, aggregateId), aggregateType, aggregateId, this);
  }

  ReconstructionRecorder newRecorder(AggregateTracing tracing, String aggregateType, String aggregateId) {
    return new ReconstructionRecorder(
        tracefold, tracing, aggregateType, aggregateId, checkpoints.get(aggregateType, aggregateId));
  }

  void forget(String aggregateType, String aggregateId) {
    checkpoints.put(aggregateType, aggregateId, Lineage.empty());
  }

  void remember(String aggregateType, String aggregateId, Lineage lineage, SpanContext reconstruction) {
    checkpoints.remember(aggregateType, aggregateId, lineage, reconstruction);
  }
}
