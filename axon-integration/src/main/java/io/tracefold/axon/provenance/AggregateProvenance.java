package io.tracefold.axon.provenance;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The commands that built an aggregate's state, read from its events in the event store, in order
 * of their first event. Answered from the store, it stays true after the tracing backend expired
 * or never kept the traces (a link then leads nowhere, but the ids, sequences and types remain).
 *
 * @param aggregateType the aggregate type, as Axon stores it with each event
 * @param aggregateId the aggregate identifier
 * @param fromSequence the sequence number the read started at (0 for the whole stream)
 * @param firstSequence the sequence number of the first event read, or -1 when none was
 * @param lastSequence the sequence number of the last event read, or -1 when none was
 * @param eventsScanned how many events were read
 * @param commands the commands, in order of their first event; at most the limit; unmodifiable
 * @param commandsNotListed commands beyond the limit (counted as runs of events of one trace)
 * @param eventsNotListed events of those commands
 * @param eventsWithoutContext events that carry no trace context (written before Tracefold)
 * @param eventsWithInvalidContext events whose trace context is malformed or unreadable
 * @param nextSequence where to continue when the read stopped at the limit of events scanned,
 *     or null when the stream was read to its end
 * @param notes what the answer leaves out and why (snapshots bypassed, truncation, gaps), in
 *     words; unmodifiable
 */
public record AggregateProvenance(
    String aggregateType,
    String aggregateId,
    long fromSequence,
    long firstSequence,
    long lastSequence,
    long eventsScanned,
    List<CommandProvenance> commands,
    long commandsNotListed,
    long eventsNotListed,
    long eventsWithoutContext,
    long eventsWithInvalidContext,
    @Nullable Long nextSequence,
    List<String> notes) {

  /** Makes the lists unmodifiable. */
  public AggregateProvenance {
    commands = List.copyOf(commands);
    notes = List.copyOf(notes);
  }

  /** Returns whether the read stopped at the limit before the end of the stream. */
  public boolean truncated() {
    return nextSequence != null;
  }
}
