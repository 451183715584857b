package io.tracefold.axon;

import io.opentelemetry.api.trace.Span;
import io.tracefold.core.Lineage;
import io.tracefold.core.LinkCollector;
import io.tracefold.core.LinkOptions;
import io.tracefold.core.Tracefold;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.jspecify.annotations.Nullable;

/**
 * The read-modify-write of read-model entity lineages, safe for racing writers and tied to the
 * read model's unit of work.
 *
 * <p>Within a unit of work (a processor's batch, or a command with subscribing processors) an
 * entity's lineage is read once and updated in memory by every event of the batch; it is written
 * when the unit of work prepares to commit, so inside the read model's transaction when the store
 * shares it, and not at all when the batch rolls back (a retried batch records nothing twice); the
 * in-memory store, which shares no transaction, is written after the commit.
 * Every write compares and sets the version that was read; when another writer (a segment or node)
 * won, this batch's contributors are recorded into the winner's lineage and the write is retried,
 * so no contributor is lost. Failures are logged once per cause and never reach the unit of work.
 */
final class LineageWrites {

  /** Attempts of one compare-and-set write before giving up (logged). */
  static final int MAX_ATTEMPTS = 8;

  private static final String RESOURCE = LineageWrites.class.getName();

  private final Tracefold tracefold;
  private final ProjectionLineageStore store;

  LineageWrites(Tracefold tracefold, ProjectionLineageStore store) {
    this.tracefold = tracefold;
    this.store = store;
  }

  /**
   * Returns the lineage entry of an entity for the current unit of work (read from the store on
   * first use), or null if the stored lineage could not be read.
   */
  @Nullable
  Entry entry(String projection, String entityId, LinkOptions options) {
    UnitOfWork<?> unitOfWork = CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().root() : null;
    if (unitOfWork == null) {
      Entry entry = read(projection, entityId, options);
      if (entry != null) {
        entry.immediate = true;
      }
      return entry;
    }
    Batch batch = unitOfWork.getOrComputeResource(RESOURCE, key -> {
      Batch created = new Batch();
      if (store instanceof InMemoryProjectionLineageStore) {
        // Shares no transaction: written once the unit of work has committed, so a batch whose
        // commit fails (and that is delivered again) records nothing twice.
        unitOfWork.afterCommit(u -> created.flushAll());
      } else {
        // Inside the read model's transaction when the store shares it.
        unitOfWork.onPrepareCommit(u -> created.flushAll());
      }
      return created;
    });
    Entry entry = batch.get(projection, entityId);
    if (entry == null) {
      entry = read(projection, entityId, options);
      if (entry != null) {
        batch.put(entry);
      }
    }
    return entry;
  }

  /**
   * The entries of one unit of work: most hold one entity, kept without a map; more are kept sorted,
   * so racing batches lock rows in one order.
   */
  private final class Batch {
    private @Nullable Entry single;
    private @Nullable Map<String, Entry> sorted;

    @Nullable Entry get(String projection, String entityId) {
      Entry one = single;
      if (one != null && one.entityId.equals(entityId) && one.projection.equals(projection)) {
        return one;
      }
      return sorted == null ? null : sorted.get(key(projection, entityId));
    }

    void put(Entry entry) {
      if (single == null && sorted == null) {
        single = entry;
        return;
      }
      if (sorted == null) {
        sorted = new TreeMap<>();
        sorted.put(key(single.projection, single.entityId), single);
        single = null;
      }
      sorted.put(key(entry.projection, entry.entityId), entry);
    }

    void flushAll() {
      if (single != null) {
        flush(single);
      } else if (sorted != null) {
        for (Entry entry : sorted.values()) {
          flush(entry);
        }
      }
    }
  }

  private static String key(String projection, String entityId) {
    return projection + '\u0000' + entityId;
  }

  private @Nullable Entry read(String projection, String entityId, LinkOptions options) {
    try {
      return new Entry(projection, entityId, store.load(projection, entityId), options);
    } catch (RuntimeException | LinkageError e) {
      Guard.failed(e, "read a projection lineage");
      return null;
    }
  }

  private void flush(Entry entry) {
    if (!entry.dirty) {
      return;
    }
    try {
      for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        if (store.save(entry.projection, entry.entityId, entry.expected, entry.current)) {
          entry.dirty = false;
          return;
        }
        // Another writer stored first: record this batch's contributors into its lineage.
        EntityLineage theirs = store.load(entry.projection, entry.entityId);
        LinkCollector collector = tracefold.newCollector();
        for (EventMessage<?> event : entry.recorded) {
          EventContexts.offer(collector, event, EventContexts.sequenceOf(event, 0));
        }
        Lineage base = entry.reset || theirs == null ? Lineage.empty() : theirs.lineage();
        // A lineage started afresh begins with this batch's first event (kept if base has one).
        entry.current = tracefold.link(Span.getInvalid(), collector, base, entry.options)
            .anchoredTo(entry.firstEventId, entry.lastEventId);
        entry.expected = theirs;
      }
      Guard.failed(null, "write a projection lineage in " + MAX_ATTEMPTS + " attempts (racing writers)");
    } catch (RuntimeException | LinkageError e) {
      Guard.failed(e, "write a projection lineage");
    }
  }

  /** One entity's lineage within a unit of work. */
  final class Entry {
    final String projection;
    final String entityId;
    final LinkOptions options;
    @Nullable EntityLineage expected;
    Lineage current;
    // The batch's events (Axon holds them for the unit of work anyway): their contexts are read
    // again only when a lost race makes this batch record them into another writer's lineage.
    final List<EventMessage<?>> recorded = new ArrayList<>();
    @Nullable String firstEventId;
    @Nullable String lastEventId;
    boolean reset;
    boolean dirty;
    boolean immediate;

    Entry(String projection, String entityId, @Nullable EntityLineage stored, LinkOptions options) {
      this.projection = projection;
      this.entityId = entityId;
      this.options = options;
      this.expected = stored;
      this.current = stored == null ? Lineage.empty() : stored.lineage();
    }

    /** Returns the entity's lineage as this unit of work sees it. */
    Lineage current() {
      return current;
    }

    /**
     * Takes {@code next} as the entity's lineage after {@code event}; {@code reset} when it no
     * longer builds on the stored one (a replay from the start, a new stream under the same id).
     */
    void record(Lineage next, EventMessage<?> event, boolean reset) {
      current = next;
      if (reset) {
        recorded.clear(); // the lineage starts afresh with this event: earlier ones are not in it
      }
      if (reset || firstEventId == null) {
        firstEventId = event.getIdentifier(); // the first event since the lineage started afresh
      }
      lastEventId = event.getIdentifier();
      this.reset |= reset;
      dirty = true;
      recorded.add(event);
      if (immediate) {
        flush(this);
      }
    }
  }
}
