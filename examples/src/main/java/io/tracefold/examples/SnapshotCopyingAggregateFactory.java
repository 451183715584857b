package io.tracefold.examples;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.AggregateFactory;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

/**
 * Axon's {@link GenericAggregateFactory}, except that an aggregate rebuilt from a snapshot starts
 * from a copy of the snapshot's payload (a serializer round trip).
 *
 * <p>Why: {@code InMemoryEventStorageEngine} stores message objects, so without a copy every load
 * from a snapshot would receive, and mutate, the one aggregate instance stored as the snapshot
 * (plain Axon behaviour). A serializing store (JDBC) deserializes a fresh instance anyway; the copy
 * is then merely redundant.
 */
final class SnapshotCopyingAggregateFactory<T> implements AggregateFactory<T> {

  private final GenericAggregateFactory<T> delegate;
  private final Serializer serializer;

  SnapshotCopyingAggregateFactory(Class<T> aggregateType, Serializer serializer) {
    this.delegate = new GenericAggregateFactory<>(aggregateType);
    this.serializer = serializer;
  }

  @Override
  public T createAggregateRoot(String aggregateIdentifier, DomainEventMessage<?> firstEvent) {
    Class<T> type = delegate.getAggregateType();
    if (type.isAssignableFrom(firstEvent.getPayloadType())) {
      SerializedObject<byte[]> bytes = serializer.serialize(firstEvent.getPayload(), byte[].class);
      return type.cast(serializer.deserialize(bytes));
    }
    return delegate.createAggregateRoot(aggregateIdentifier, firstEvent);
  }

  @Override
  public Class<T> getAggregateType() {
    return delegate.getAggregateType();
  }
}
