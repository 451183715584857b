package io.tracefold.axon;

import static io.tracefold.core.TracefoldAttributes.ENTITY_ID;
import static io.tracefold.core.TracefoldAttributes.ENTITY_TYPE;
import static io.tracefold.core.TracefoldAttributes.ERRORS;
import static io.tracefold.core.TracefoldAttributes.EVENT_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND_SNAPSHOT;
import static io.tracefold.core.TracefoldAttributes.PROVENANCE_CORRUPT;
import static io.tracefold.core.TracefoldAttributes.SNAPSHOT_SEQUENCE;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.tracefold.core.Lineage;
import io.tracefold.core.LinkCollector;
import io.tracefold.core.Tracefold;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.jspecify.annotations.Nullable;

/**
 * Records the provenance of one aggregate reconstruction (a rehydration or a snapshot) from the
 * event stream as it is consumed, and links the reconstruction span at the end.
 *
 * <p>The stream may start with a snapshot: its metadata hands over the lineage checkpoint of the
 * history it summarises. Whichever checkpoint covers more, the snapshot's or the one remembered in
 * memory, is used; events it covers are counted, not offered again. Never throws.
 */
final class ReconstructionRecorder {

  /** Snapshot metadata key: the encoded lineage checkpoint of the history the snapshot summarises. */
  static final String LINEAGE_KEY = "tracefold.lineage";

  /** Snapshot metadata key: the {@code traceparent} of the span that took the snapshot. */
  static final String SNAPSHOT_SPAN_KEY = "tracefold.snapshot";

  private final Tracefold tracefold;
  private final AggregateTracing tracing;
  private final String aggregateType;
  private final String aggregateId;
  private final LinkCollector collector;
  private Lineage checkpoint;
  private long snapshotSequence = -1;
  private @Nullable SpanContext snapshotSpan;
  private long errors;
  // Corrupt provenance in a snapshot that could not be used at all.
  private long unusedCorrupt;

  ReconstructionRecorder(
      Tracefold tracefold, AggregateTracing tracing, String aggregateType, String aggregateId, Lineage checkpoint) {
    this.tracefold = tracefold;
    this.tracing = tracing;
    this.aggregateType = aggregateType;
    this.aggregateId = aggregateId;
    this.collector = tracefold.newCollector();
    this.checkpoint = tracing.limits().getOverflowPolicy().isLossy() ? Lineage.empty() : checkpoint;
  }

  /** Records one message of the stream; {@code snapshot} when it is the aggregate snapshot. */
  void record(DomainEventMessage<?> message, boolean snapshot) {
    try {
      long sequence = message.getSequenceNumber();
      if (snapshot) {
        recordSnapshot(sequence, message.getMetaData());
      } else if (sequence <= checkpoint.coveredSequence()) {
        // Covered: its metadata is not even read (a lazily deserialising store never decodes it).
        collector.skipCovered(sequence);
      } else {
        EventContexts.offer(collector, message, sequence);
      }
    } catch (RuntimeException e) {
      // e.g. metadata that cannot be deserialized: the load goes on, the error is counted.
      errors++;
    }
  }

  private void recordSnapshot(long sequence, MetaData metaData) {
    snapshotSequence = sequence;
    snapshotSpan = EventContexts.spanContext(metaData.get(SNAPSHOT_SPAN_KEY), null);
    Lineage handedOver = tracing.limits().getOverflowPolicy().isLossy()
        ? Lineage.empty()
        : Lineage.decode(metaData.get(LINEAGE_KEY));
    if (handedOver.coveredSequence() > checkpoint.coveredSequence()) {
      checkpoint = handedOver;
    } else {
      unusedCorrupt += handedOver.corrupt();
    }
    // History the snapshot summarises but no checkpoint covers (e.g. taken before Tracefold).
    collector.addMissing(sequence - Math.max(checkpoint.coveredSequence(), -1));
  }

  /**
   * Links {@code span} to every contributor and returns the checkpoint to remember.
   *
   * @param seal whether the checkpoint must cover every event read (snapshots)
   */
  Lineage finish(Span span, boolean seal) {
    if (!span.isRecording()) {
      return checkpoint;
    }
    try {
      span.setAttribute(ENTITY_TYPE, aggregateType);
      span.setAttribute(ENTITY_ID, aggregateId);
      int reserved = 0;
      if (snapshotSequence >= 0) {
        span.setAttribute(SNAPSHOT_SEQUENCE, snapshotSequence);
        if (snapshotSpan != null) {
          span.addLink(snapshotSpan, Attributes.of(LINK_KIND, LINK_KIND_SNAPSHOT, EVENT_SEQUENCE, snapshotSequence));
          reserved = 1;
        }
      }
      if (errors > 0) {
        span.setAttribute(ERRORS, errors);
      }
      Lineage next =
          tracefold.link(span, collector, checkpoint, tracing.limits(), seal, reserved, tracing.lineageAttributes());
      if (unusedCorrupt > 0) {
        span.setAttribute(PROVENANCE_CORRUPT, checkpoint.corrupt() + unusedCorrupt);
      }
      return next;
    } catch (RuntimeException e) {
      span.setAttribute(ERRORS, errors + 1);
      return checkpoint;
    }
  }

}
