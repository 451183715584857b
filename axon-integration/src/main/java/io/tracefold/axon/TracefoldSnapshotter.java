package io.tracefold.axon;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;

/**
 * Axon's {@link AggregateSnapshotter}, plus {@link SnapshotProvenance} for {@link TracedAggregate}
 * aggregates.
 */
final class TracefoldSnapshotter extends AggregateSnapshotter {

  private final SnapshotProvenance provenance;

  TracefoldSnapshotter(AggregateSnapshotter.Builder builder, SnapshotProvenance provenance) {
    super(builder);
    this.provenance = provenance;
  }

  @Override
  @SuppressWarnings("rawtypes")
  protected DomainEventMessage createSnapshot(
      Class<?> aggregateType, String aggregateIdentifier, DomainEventStream eventStream) {
    return provenance.createSnapshot(aggregateType, aggregateIdentifier, eventStream, super::createSnapshot);
  }
}
