package io.tracefold.axon;

import io.opentelemetry.api.trace.Span;
import io.tracefold.core.Lineage;
import io.tracefold.core.Tracefold;
import io.tracefold.core.W3CTraceContext;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.jspecify.annotations.Nullable;

/**
 * Snapshot provenance for {@link TracedAggregate} aggregates, shared by every snapshotter Tracefold
 * builds (Axon's plain one and Spring's): the {@code createSnapshot} span reaches every event the
 * snapshot summarises (sealing the lineage forest), and the snapshot's metadata carries that
 * checkpoint and the span's context, so a rehydration from the snapshot, in any process, still
 * reaches every contributing event.
 */
final class SnapshotProvenance {

  /** Axon's own {@code createSnapshot}, which the snapshotter subclasses hand in. */
  @FunctionalInterface
  interface SnapshotCreator {
    @Nullable
    DomainEventMessage<?> create(Class<?> aggregateType, String aggregateIdentifier, DomainEventStream eventStream);
  }

  private final Tracefold tracefold;
  private final LineageCheckpoints checkpoints;

  SnapshotProvenance(Tracefold tracefold, LineageCheckpoints checkpoints) {
    this.tracefold = tracefold;
    this.checkpoints = checkpoints;
  }

  /** Returns the snapshot {@code creator} makes, with provenance when the aggregate is traced. */
  @Nullable
  DomainEventMessage<?> createSnapshot(
      Class<?> aggregateType, String aggregateIdentifier, DomainEventStream eventStream, SnapshotCreator creator) {
    AggregateTracing tracing = tracingOf(aggregateType);
    if (tracing == null) {
      return creator.create(aggregateType, aggregateIdentifier, eventStream);
    }
    String type = aggregateType.getSimpleName();
    ReconstructionRecorder recorder =
        new ReconstructionRecorder(
            tracefold, tracing, type, aggregateIdentifier, checkpoints.get(type, aggregateIdentifier));
    DomainEventMessage<?> snapshot =
        creator.create(aggregateType, aggregateIdentifier, new RecordingStream(eventStream, recorder, aggregateType));
    if (snapshot == null) {
      return null;
    }
    try {
      Span span = Span.current();
      Lineage sealed = recorder.finish(span, true);
      String snapshotSpan = W3CTraceContext.formatTraceparent(span.getSpanContext());
      if (sealed.isEmpty() || !span.getSpanContext().isSampled() || snapshotSpan == null) {
        return snapshot;
      }
      checkpoints.put(type, aggregateIdentifier, sealed);
      Map<String, String> metaData = new HashMap<>(4);
      metaData.put(ReconstructionRecorder.LINEAGE_KEY, sealed.encode());
      metaData.put(ReconstructionRecorder.SNAPSHOT_SPAN_KEY, snapshotSpan);
      return snapshot.andMetaData(metaData);
    } catch (RuntimeException e) {
      // Fail open: a snapshot without provenance is better than no snapshot.
      return snapshot;
    }
  }

  private @Nullable AggregateTracing tracingOf(Class<?> aggregateType) {
    try {
      return AggregateTracing.of(aggregateType, tracefold);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The snapshotter's event stream, recording each message as the snapshot aggregate consumes it. */
  private static final class RecordingStream implements DomainEventStream {
    private final DomainEventStream delegate;
    private final ReconstructionRecorder recorder;
    private final Class<?> aggregateType;

    RecordingStream(DomainEventStream delegate, ReconstructionRecorder recorder, Class<?> aggregateType) {
      this.delegate = delegate;
      this.recorder = recorder;
      this.aggregateType = aggregateType;
    }

    @Override
    public boolean hasNext() {
      return delegate.hasNext();
    }

    @Override
    public DomainEventMessage<?> next() {
      DomainEventMessage<?> message = delegate.next();
      recorder.record(message, aggregateType.isAssignableFrom(message.getPayloadType()));
      return message;
    }

    @Override
    public DomainEventMessage<?> peek() {
      return delegate.peek();
    }

    @Override
    public Long getLastSequenceNumber() {
      return delegate.getLastSequenceNumber();
    }
  }
}
