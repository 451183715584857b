package io.tracefold.axon.provenance;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A command that changed an aggregate: the events of the stream whose spans share one trace id
 * (Tracefold's event spans are children of the command's handling span). Two commands sent in one
 * trace (e.g. by one HTTP request) are one entry.
 *
 * @param traceId the 32 hex digits of the trace id
 * @param sampled whether any of its event spans was sampled (its trace may then be in the backend)
 * @param url the deep link to the trace (at its first sampled event span), or null when no event
 *     span was sampled or no template is set
 * @param firstSequence the lowest sequence number of its events
 * @param lastSequence the highest sequence number of its events
 * @param eventCount how many of the scanned events belong to it
 * @param firstTimestamp the earliest event timestamp, or null if none could be read
 * @param lastTimestamp the latest event timestamp, or null if none could be read
 * @param events its first events in sequence order, at most the limit per command; unmodifiable
 */
public record CommandProvenance(
    String traceId,
    boolean sampled,
    @Nullable String url,
    long firstSequence,
    long lastSequence,
    long eventCount,
    @Nullable Instant firstTimestamp,
    @Nullable Instant lastTimestamp,
    List<EventProvenance> events) {

  /** Makes the event list unmodifiable. */
  public CommandProvenance {
    events = List.copyOf(events);
  }

  /** Returns how many of its events are counted but not listed in {@link #events()}. */
  public long eventsNotListed() {
    return eventCount - events.size();
  }
}
