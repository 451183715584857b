package io.tracefold.axon.provenance;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the lineage store of a {@code @TracedProjection} holds about one read-model entity. Unlike
 * an aggregate's events, a read model does not keep which events built it: the store keeps a
 * bounded summary (counts, anchors, and the contexts of a few lineage spans and recent
 * contributors), not a list of commands. {@link #notes()} says what follows from that.
 *
 * @param entityType the entity type ({@code @TracedProjection(entityType)})
 * @param entityId the entity id
 * @param projection the projection class whose lineage this is
 * @param version the stored version (one more per write)
 * @param coveredSequence the highest sequence number recorded (of the aggregate stream when the
 *     entity is keyed by the aggregate), or -1
 * @param contributors how many event spans the lineage reaches
 * @param eventsWithoutContext recorded events that carried no trace context
 * @param eventsWithInvalidContext recorded events whose context was malformed
 * @param unsampled recorded contributors whose span was not sampled
 * @param corrupt entries lost to corruption when the stored lineage was decoded
 * @param dropped contributors dropped beyond the pending bound (never under an exported node)
 * @param lineageSpans the lineage spans (forest peaks) through which older contributors are reached
 * @param pendingContributors contributors not yet under a lineage span
 * @param oldestLineageSpan when the oldest lineage span was emitted, or null when there is none
 *     (links older than the backend's retention lead nowhere)
 * @param firstEventId the anchor of the first event recorded, or null
 * @param lastEventId the anchor of the last event recorded, or null
 * @param spans the lineage spans, oldest history first, then the recent contributing event spans,
 *     oldest first (at most the limit of {@code maxEventsPerCommand}; the counts above are complete);
 *     unmodifiable
 * @param notes what is known and what is not, in words; unmodifiable
 */
public record EntityProvenance(
    String entityType,
    String entityId,
    String projection,
    long version,
    long coveredSequence,
    long contributors,
    long eventsWithoutContext,
    long eventsWithInvalidContext,
    long unsampled,
    long corrupt,
    long dropped,
    int lineageSpans,
    int pendingContributors,
    @Nullable Instant oldestLineageSpan,
    @Nullable String firstEventId,
    @Nullable String lastEventId,
    List<SpanReference> spans,
    List<String> notes) {

  /** Makes the notes unmodifiable. */
  public EntityProvenance {
    spans = List.copyOf(spans);
    notes = List.copyOf(notes);
  }
}
