package io.tracefold.axon;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;

/**
 * Axon's {@link SpringAggregateSnapshotter} (aggregate factories looked up in the application
 * context), plus {@link SnapshotProvenance} for {@link TracedAggregate} aggregates.
 *
 * <p>Only loaded when a {@link SpringAggregateSnapshotter.Builder} is handed to
 * {@link AxonTracefold#snapshotter}, so {@code axon-spring} stays optional.
 */
final class SpringTracefoldSnapshotter extends SpringAggregateSnapshotter {

  private final SnapshotProvenance provenance;

  private SpringTracefoldSnapshotter(SpringAggregateSnapshotter.Builder builder, SnapshotProvenance provenance) {
    super(builder);
    this.provenance = provenance;
  }

  /** Returns whether {@code builder} builds a Spring snapshotter. */
  static boolean accepts(AggregateSnapshotter.Builder builder) {
    return builder instanceof SpringAggregateSnapshotter.Builder;
  }

  /** Returns the snapshotter; {@code builder} must be {@link #accepts accepted}. */
  static AggregateSnapshotter create(AggregateSnapshotter.Builder builder, SnapshotProvenance provenance) {
    return new SpringTracefoldSnapshotter((SpringAggregateSnapshotter.Builder) builder, provenance);
  }

  @Override
  @SuppressWarnings("rawtypes")
  protected DomainEventMessage createSnapshot(
      Class<?> aggregateType, String aggregateIdentifier, DomainEventStream eventStream) {
    return provenance.createSnapshot(aggregateType, aggregateIdentifier, eventStream, super::createSnapshot);
  }
}
