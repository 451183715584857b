package io.tracefold.benchmarks.axon;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;

/**
 * An event storage engine that accepts and drops every append: a write path whose memory does not
 * grow with the number of operations, and no storage cost in the measurement. Reads find nothing.
 */
final class DiscardingEventStorageEngine implements EventStorageEngine {

  @Override
  public void appendEvents(List<? extends EventMessage<?>> events) {
    // Dropped.
  }

  @Override
  public void storeSnapshot(DomainEventMessage<?> snapshot) {
    // Dropped.
  }

  @Override
  public Stream<? extends TrackedEventMessage<?>> readEvents(TrackingToken trackingToken, boolean mayBlock) {
    return Stream.empty();
  }

  @Override
  public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
    return DomainEventStream.empty();
  }

  @Override
  public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
    return Optional.empty();
  }
}
