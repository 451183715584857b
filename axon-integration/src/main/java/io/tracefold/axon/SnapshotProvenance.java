package io.tracefold.axon;

import io.opentelemetry.api.trace.Span;
import io.tracefold.core.Lineage;
import io.tracefold.core.Tracefold;
import io.tracefold.core.internal.W3CTraceContext;
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

  /**
   * Returns the snapshot {@code creator} makes, with provenance when the aggregate is traced: the
   * lineage of every event it summarises (recorded whatever the sampling decision; sealed into
   * exported lineage spans when the snapshot span is sampled) and, when sampled, the snapshot
   * span's context.
   */
  @Nullable
  DomainEventMessage<?> createSnapshot(
      Class<?> aggregateType, String aggregateIdentifier, DomainEventStream eventStream, SnapshotCreator creator) {
    AggregateTracing tracing = tracingOf(aggregateType);
    if (tracing == null) {
      return creator.create(aggregateType, aggregateIdentifier, eventStream);
    }
    RecordingStream recording = new RecordingStream(eventStream, aggregateType, aggregateIdentifier, tracing);
    DomainEventMessage<?> snapshot = creator.create(aggregateType, aggregateIdentifier, recording);
    ReconstructionRecorder recorder = recording.recorder;
    if (snapshot == null || recorder == null) {
      return snapshot;
    }
    try {
      Span span = Span.current();
      Lineage sealed = recorder.finish(span, true, true);
      if (sealed.isEmpty()) {
        return snapshot;
      }
      // Keyed by the type as Axon names it (the events' aggregate type), as rehydration is.
      checkpoints.put(recording.type, aggregateIdentifier, sealed);
      Map<String, String> metaData = new HashMap<>(4);
      metaData.put(ReconstructionRecorder.LINEAGE_KEY, sealed.encode());
      String snapshotSpan =
          span.getSpanContext().isSampled() ? W3CTraceContext.formatTraceparent(span.getSpanContext()) : null;
      if (snapshotSpan != null) {
        metaData.put(ReconstructionRecorder.SNAPSHOT_SPAN_KEY, snapshotSpan);
      }
      return snapshot.andMetaData(metaData);
    } catch (RuntimeException | LinkageError e) {
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

  /**
   * The snapshotter's event stream, recording each message as the snapshot aggregate consumes it.
   * The recorder starts at the first message, whose aggregate type (as Axon names it, which may
   * differ from the class's simple name) keys the remembered lineage.
   */
  private final class RecordingStream implements DomainEventStream {
    private final DomainEventStream delegate;
    private final Class<?> aggregateType;
    private final String aggregateIdentifier;
    private final AggregateTracing tracing;
    @Nullable ReconstructionRecorder recorder;
    String type;

    RecordingStream(
        DomainEventStream delegate, Class<?> aggregateType, String aggregateIdentifier, AggregateTracing tracing) {
      this.delegate = delegate;
      this.aggregateType = aggregateType;
      this.aggregateIdentifier = aggregateIdentifier;
      this.tracing = tracing;
      this.type = aggregateType.getSimpleName();
    }

    @Override
    public boolean hasNext() {
      return delegate.hasNext();
    }

    @Override
    public DomainEventMessage<?> next() {
      DomainEventMessage<?> message = delegate.next();
      try {
        ReconstructionRecorder current = recorder;
        if (current == null) {
          String declared = message.getType();
          if (declared != null && !declared.isEmpty()) {
            type = declared;
          }
          current = new ReconstructionRecorder(
              tracefold, tracing, type, aggregateIdentifier, checkpoints.get(type, aggregateIdentifier));
          recorder = current;
        }
        current.record(message, aggregateType.isAssignableFrom(message.getPayloadType()));
      } catch (RuntimeException | LinkageError e) {
        // Fail open: the snapshot is taken all the same.
      }
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
