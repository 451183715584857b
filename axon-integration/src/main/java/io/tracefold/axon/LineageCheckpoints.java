package io.tracefold.axon;

import io.opentelemetry.api.trace.SpanContext;
import io.tracefold.core.Lineage;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Remembers, per aggregate (its type as Axon names it, and its id), the lineage state of its last
 * rehydration or snapshot, so that the next one links the state instead of re-reading covered
 * history, and the span of its latest reconstruction for cache hits.
 *
 * <p>Bounded in entries and in estimated bytes: the least recently used aggregates are forgotten
 * first (they then pay for their history once more). Aged: a state whose oldest lineage node is
 * older than {@code maxAgeMillis} (or claims to be emitted that far in the future) is forgotten, so
 * its history is emitted afresh into a trace the backend still keeps.
 */
final class LineageCheckpoints {

  /**
   * Estimated bytes of one cached entry (the state, its anchors, the map entries and key, the last
   * reconstruction's context), of one lineage span it links (a forest peak or the tail node), and
   * of one pending contributor (packed: four longs and a type reference, in arrays with up to a
   * quarter of room to append in place: 37 to 46 bytes measured).
   * Measured on a 64-bit JVM with compressed references: 176 bytes for a state with no
   * contributor, 160 to 470 per lineage span (less when they share a trace); estimated from above.
   */
  static final long ENTRY_BYTES = 480;

  static final long PEAK_BYTES = 480;
  static final long PENDING_BYTES = 48;

  private final int maxEntries;
  private final long maxBytes;
  private final long maxAgeMillis;
  private final Clock clock;
  private final LinkedHashMap<Key, Lineage> entries = new LinkedHashMap<>(16, 0.75f, true);
  // Guarded by the lock of entries, as entries itself. Bounded by maxEntries on its own and kept
  // when a checkpoint is evicted, aged out or discarded: it names the exported span that built the
  // aggregate instance Axon's cache may still hold, which a cache hit links whatever the lineage.
  private final Map<Key, SpanContext> lastReconstructions;
  private long bytes;

  LineageCheckpoints(int maxEntries, long maxBytes, long maxAgeMillis, Clock clock) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.maxAgeMillis = maxAgeMillis;
    this.clock = clock;
    this.lastReconstructions = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, SpanContext> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /** Returns the estimated bytes {@code lineage} costs in this cache. */
  static long bytesOf(Lineage lineage) {
    return ENTRY_BYTES + PEAK_BYTES * lineage.peakCount() + PENDING_BYTES * lineage.pendingCount();
  }

  /** Returns the span of an aggregate's latest traced reconstruction, or null. */
  @Nullable
  SpanContext lastReconstruction(String aggregateType, String aggregateId) {
    synchronized (entries) {
      return lastReconstructions.get(key(aggregateType, aggregateId));
    }
  }

  /** Returns the lineage of an aggregate, or the empty lineage (none, or aged out). */
  Lineage get(String aggregateType, String aggregateId) {
    if (maxEntries == 0) {
      return Lineage.empty();
    }
    Key key = key(aggregateType, aggregateId);
    synchronized (entries) {
      Lineage lineage = entries.get(key);
      if (lineage == null) {
        return Lineage.empty();
      }
      long age = clock.millis() - lineage.emittedAtMillis();
      // Emitted further in the future than the maximum age (a node's clock days ahead, a corrupt
      // stored value) counts as aged too: it would otherwise never age out.
      if (lineage.emittedAtMillis() > 0 && Math.abs(age) > maxAgeMillis) {
        entries.remove(key);
        bytes -= bytesOf(lineage);
        return Lineage.empty();
      }
      return lineage;
    }
  }

  /**
   * Keeps {@code lineage} unless a lineage of the same stream covering more is already kept
   * (concurrent loads); the empty lineage forgets the aggregate.
   */
  void put(String aggregateType, String aggregateId, Lineage lineage) {
    if (maxEntries == 0) {
      return;
    }
    put(key(aggregateType, aggregateId), lineage);
  }

  /**
   * Keeps an aggregate's lineage after a reconstruction (see {@link #put}) and that reconstruction's
   * span if it was sampled (for a later cache hit to link), under one key.
   */
  void remember(String aggregateType, String aggregateId, Lineage lineage, SpanContext reconstruction) {
    if (maxEntries == 0) {
      return;
    }
    Key key = key(aggregateType, aggregateId);
    boolean sampled = reconstruction.isSampled();
    // One lock for both maps: a load takes it twice (get, remember), not three times.
    synchronized (entries) {
      if (sampled) {
        lastReconstructions.put(key, reconstruction);
      }
      putLocked(key, lineage);
    }
  }

  private void put(Key key, Lineage lineage) {
    synchronized (entries) {
      putLocked(key, lineage);
    }
  }

  /** {@link #put}, the caller holding the lock of {@code entries}. */
  private void putLocked(Key key, Lineage lineage) {
    Lineage existing = entries.get(key);
    if (existing == lineage) {
      return; // the steady state: a load that changed nothing hands back the state it got
    }
    if (lineage.isEmpty()) {
      if (existing != null) {
        entries.remove(key);
        bytes -= bytesOf(existing);
      }
      return;
    }
    boolean sameStream = existing != null && Objects.equals(existing.firstEventId(), lineage.firstEventId());
    if (sameStream && existing.coveredSequence() > lineage.coveredSequence()) {
      return;
    }
    if (existing != null) {
      bytes -= bytesOf(existing);
    }
    entries.put(key, lineage);
    bytes += bytesOf(lineage);
    if (entries.size() <= maxEntries && bytes <= maxBytes) {
      return;
    }
    Iterator<Map.Entry<Key, Lineage>> eldest = entries.entrySet().iterator();
    while ((entries.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
      Map.Entry<Key, Lineage> entry = eldest.next();
      bytes -= bytesOf(entry.getValue());
      eldest.remove();
    }
  }

  /** Returns the estimated bytes held (for tests and diagnostics). */
  long bytes() {
    synchronized (entries) {
      return bytes;
    }
  }

  /** Returns the number of aggregates held (for tests and diagnostics). */
  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  private static Key key(String aggregateType, String aggregateId) {
    return new Key(aggregateType, aggregateId);
  }

  /** An aggregate's type and id: a lookup allocates this pair, not a concatenated string. */
  private static final class Key {
    final String type;
    final String id;
    final int hash;

    Key(String type, String id) {
      this.type = type;
      this.id = id;
      this.hash = 31 * type.hashCode() + id.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      if (this == o) {
        return true;
      }
      if (!(o instanceof Key)) {
        return false;
      }
      Key that = (Key) o;
      return hash == that.hash && id.equals(that.id) && type.equals(that.type);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }
}
