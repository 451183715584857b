package io.tracefold.axon;

import static io.tracefold.core.TracefoldAttributes.ENTITY_ID;
import static io.tracefold.core.TracefoldAttributes.ENTITY_TYPE;
import static io.tracefold.core.TracefoldAttributes.ERRORS;
import static io.tracefold.core.TracefoldAttributes.EVENT_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_DISCARDED;
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
 * <p>The stream may start with a snapshot: its metadata hands over the lineage of the history it
 * summarises (checked: it may not cover more than the snapshot). Whichever lineage covers more,
 * the snapshot's or the one remembered in memory, is used; events it covers are counted, not
 * offered again. The remembered lineage is checked against the stream as it passes: its anchor
 * names the first event and the event at its covered sequence, and a stream with other events
 * there (an event store emptied and reused, restored, or another tenant's) or fewer events makes
 * it discarded and counted ({@code tracefold.lineage.discarded}), never linked. Never throws.
 */
final class ReconstructionRecorder {

  /** Snapshot metadata key: the encoded lineage of the history the snapshot summarises. */
  static final String LINEAGE_KEY = "tracefold.lineage";

  /** Snapshot metadata key: the {@code traceparent} of the span that took the snapshot (if sampled). */
  static final String SNAPSHOT_SPAN_KEY = "tracefold.snapshot";

  private final Tracefold tracefold;
  private final AggregateTracing tracing;
  private final String aggregateType;
  private final String aggregateId;
  private final LinkCollector collector;
  private Lineage state;
  private boolean started;
  private boolean released;
  private @Nullable String streamFirstId;
  private @Nullable String lastId;
  private long lastSequence = -1;
  private long snapshotSequence = -1;
  private @Nullable SpanContext snapshotSpan;
  private long errors;
  // Corrupt provenance in a snapshot that could not be used at all.
  private long unusedCorrupt;
  // The remembered lineage did not describe this stream.
  private boolean discarded;
  // Events skipped as covered: lost to this reconstruction if the lineage is discarded after them.
  private long skipped;
  // The steady state of a load counts covered events here and hands them to the collector in bulk
  // (flushCovered): events below coveredBelow are skipped; Long.MIN_VALUE until the first event
  // has been checked against the anchor, and after a discard.
  private long coveredBelow = Long.MIN_VALUE;
  private long bulkCount;
  private long bulkFirst;
  private long bulkLast = -1;

  ReconstructionRecorder(
      Tracefold tracefold, AggregateTracing tracing, String aggregateType, String aggregateId, Lineage remembered) {
    this.tracefold = tracefold;
    this.tracing = tracing;
    this.aggregateType = aggregateType;
    this.aggregateId = aggregateId;
    this.collector = ReusedCollectors.acquire(tracefold);
    this.state = tracing.limits().getOverflowPolicy().isLossy() ? Lineage.empty() : remembered;
  }

  /** Records one message of the stream; {@code snapshot} when it is the aggregate snapshot. */
  void record(DomainEventMessage<?> message, boolean snapshot) {
    try {
      long sequence = message.getSequenceNumber();
      if (sequence < coveredBelow && !snapshot) {
        // The steady state of a load, kept small so that the JIT inlines Axon's own per-event work
        // behind it as it does without Tracefold: a covered event before the anchor's, whose
        // metadata is not even read (a lazily deserialising store never decodes it). Its
        // identifier is not needed: the event at the covered sequence is checked below. Counted
        // here, handed to the collector in bulk.
        if (bulkCount++ == 0) {
          bulkFirst = sequence;
        }
        if (sequence > bulkLast) {
          bulkLast = sequence;
        }
        return;
      }
      recordSlow(message, snapshot, sequence);
    } catch (RuntimeException | LinkageError e) {
      // e.g. metadata that cannot be deserialized: the load goes on, the error is counted.
      errors++;
    }
  }

  /** Every message but a covered event's: out of the small path the JIT inlines per event. */
  private void recordSlow(DomainEventMessage<?> message, boolean snapshot, long sequence) {
    flushCovered();
    try {
      recordOther(message, snapshot, sequence);
    } finally {
      // Also after a failure: the fast path then follows the state as recordOther left it.
      coveredBelow = started && !discarded ? state.coveredSequence() : Long.MIN_VALUE;
    }
  }

  private void recordOther(DomainEventMessage<?> message, boolean snapshot, long sequence) {
    boolean first = !started;
    started = true;
    if (snapshot) {
      snapshotSequence = sequence;
      MetaData metaData;
      try {
        metaData = message.getMetaData();
      } catch (RuntimeException | LinkageError e) {
        // Unreadable (e.g. a metadata class since removed): Axon never reads it, the load goes on.
        // The history the snapshot summarises is then counted missing, never silently covered.
        errors++;
        unusedCorrupt++;
        collector.addMissing(sequence - Math.max(state.coveredSequence(), -1));
        return;
      }
      recordSnapshot(sequence, metaData);
      return;
    }
    String id = message.getIdentifier();
    if (first) {
      streamFirstId = id;
      if (!Lineage.anchorMatches(state.firstEventId(), id)) {
        discard(); // another stream under the same (type, id): nothing skipped yet
      }
    }
    if (sequence == state.coveredSequence() && !Lineage.anchorMatches(state.lastEventId(), id)) {
      discard();
    }
    lastId = id;
    lastSequence = Math.max(lastSequence, sequence);
    if (!discarded && sequence <= state.coveredSequence()) {
      // Covered: its metadata is not even read (a lazily deserialising store never decodes it).
      collector.skipCovered(sequence);
      skipped++;
    } else {
      EventContexts.offer(collector, message, sequence);
    }
  }

  /** Hands the covered events counted in bulk to the collector, in stream order. */
  private void flushCovered() {
    if (bulkCount > 0) {
      collector.skipCovered(bulkFirst, bulkLast, bulkCount);
      skipped += bulkCount;
      lastSequence = Math.max(lastSequence, bulkLast);
      bulkCount = 0;
      bulkLast = -1;
    }
  }

  private void discard() {
    if (!state.isEmpty()) {
      discarded = true;
      state = Lineage.empty();
    }
  }

  private void recordSnapshot(long sequence, MetaData metaData) {
    SpanContext span = EventContexts.spanContext(metaData.get(SNAPSHOT_SPAN_KEY), null);
    snapshotSpan = span != null && span.isSampled() ? span : null;
    Lineage handedOver = tracing.limits().getOverflowPolicy().isLossy()
        ? Lineage.empty()
        : Lineage.decode(metaData.get(LINEAGE_KEY));
    if (handedOver.coveredSequence() > sequence) {
      // Claims history the snapshot does not have: inconsistent with the stream, not to be used.
      unusedCorrupt += Math.max(1, handedOver.corrupt());
      handedOver = Lineage.empty();
    }
    boolean sameStream = handedOver.firstEventId() == null || state.firstEventId() == null
        || handedOver.firstEventId().equals(state.firstEventId());
    if (!sameStream) {
      discard();
    }
    if (handedOver.coveredSequence() >= state.coveredSequence()) {
      state = handedOver;
    } else {
      unusedCorrupt += handedOver.corrupt();
    }
    // History the snapshot summarises but no lineage covers (e.g. taken before Tracefold).
    collector.addMissing(sequence - Math.max(state.coveredSequence(), -1));
  }

  /** Returns whether the remembered lineage proved not to describe this stream. */
  boolean discarded() {
    return discarded;
  }

  /** Hands the collector back to this thread for its next reconstruction; only once. */
  private void releaseCollector() {
    if (released) {
      return;
    }
    released = true;
    ReusedCollectors.release(collector);
  }

  /**
   * Records the stream, links {@code span} to every contributor and returns the lineage to
   * remember (the empty lineage when the remembered one proved foreign after covered events were
   * skipped: the next reconstruction then reads everything again).
   *
   * @param seal whether the lineage must hand everything on as peaks (snapshots)
   * @param complete whether the whole stream was read; a load that failed part-way (a throwing
   *     handler, upcaster or store) links what it read, but is no sign of a shorter stream and
   *     returns the lineage it started from (empty if the stream proved foreign): no aggregate was
   *     built from it
   */
  Lineage finish(Span span, boolean seal, boolean complete) {
    try {
      flushCovered();
      if (complete && !discarded && !state.isEmpty()
          && Math.max(lastSequence, snapshotSequence) < state.coveredSequence()) {
        discarded = true; // the stream is shorter than the lineage claims
        state = Lineage.empty();
      }
      boolean recording = span.isRecording();
      int reserved = 0;
      if (recording) {
        span.setAttribute(ENTITY_TYPE, aggregateType);
        span.setAttribute(ENTITY_ID, AggregateTracing.boundedId(aggregateId));
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
        if (discarded) {
          span.setAttribute(LINEAGE_DISCARDED, true);
        }
      }
      boolean lateDiscard = discarded && skipped > 0;
      if (lateDiscard) {
        collector.addMissing(skipped);
      }
      Lineage next = tracefold.link(span, collector, state, tracing.reconstructionOptions(seal, reserved));
      if (recording && unusedCorrupt > 0) {
        span.setAttribute(PROVENANCE_CORRUPT, state.corrupt() + unusedCorrupt);
      }
      if (lateDiscard) {
        releaseCollector();
        return Lineage.empty();
      }
      if (!complete) {
        releaseCollector();
        return state;
      }
      String first = snapshotSequence < 0 ? streamFirstId : null;
      String last = lastSequence >= 0 && lastSequence == next.coveredSequence() ? lastId : next.lastEventId();
      Lineage anchored = next.anchoredTo(first, last);
      releaseCollector();
      return anchored;
    } catch (RuntimeException | LinkageError e) {
      errors++;
      try {
        span.setAttribute(ERRORS, errors);
      } catch (RuntimeException | LinkageError ignored) {
        // nothing more to do
      }
      return state;
    }
  }
}
