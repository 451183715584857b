package io.tracefold.axon;

import io.opentelemetry.api.trace.SpanContext;
import io.tracefold.core.Lineage;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Remembers, per aggregate, the lineage checkpoint of its last traced rehydration, so that the next
 * rehydration links the checkpoint instead of re-emitting lineage for covered history. Bounded: the
 * least recently used aggregates are forgotten first (they then pay for their history once more).
 */
final class LineageCheckpoints {

  private final int maxEntries;
  private final Map<String, Lineage> entries;
  private final Map<String, SpanContext> lastReconstructions;

  LineageCheckpoints(int maxEntries) {
    this.maxEntries = maxEntries;
    this.entries = lru(maxEntries);
    this.lastReconstructions = lru(maxEntries);
  }

  private static <V> Map<String, V> lru(int maxEntries) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > maxEntries;
      }
    };
  }

  /** Remembers the span of an aggregate's latest traced reconstruction (sampled spans only). */
  void putReconstruction(String aggregateId, SpanContext reconstruction) {
    if (maxEntries == 0 || !reconstruction.isSampled()) {
      return;
    }
    synchronized (lastReconstructions) {
      lastReconstructions.put(aggregateId, reconstruction);
    }
  }

  /** Returns the span of an aggregate's latest traced reconstruction, or null. */
  @Nullable
  SpanContext lastReconstruction(String aggregateId) {
    synchronized (lastReconstructions) {
      return lastReconstructions.get(aggregateId);
    }
  }

  /** Returns the checkpoint of an aggregate, or the empty lineage. */
  Lineage get(String aggregateType, String aggregateId) {
    if (maxEntries == 0) {
      return Lineage.empty();
    }
    Lineage lineage;
    synchronized (entries) {
      lineage = entries.get(key(aggregateType, aggregateId));
    }
    return lineage == null ? Lineage.empty() : lineage;
  }

  /** Keeps {@code lineage} unless a checkpoint covering more is already kept (concurrent loads). */
  void put(String aggregateType, String aggregateId, Lineage lineage) {
    if (maxEntries == 0 || lineage.isEmpty()) {
      return;
    }
    String key = key(aggregateType, aggregateId);
    synchronized (entries) {
      Lineage existing = entries.get(key);
      if (existing == null || existing.coveredSequence() <= lineage.coveredSequence()) {
        entries.put(key, lineage);
      }
    }
  }

  private static String key(String aggregateType, String aggregateId) {
    return aggregateType + '\u0000' + aggregateId;
  }
}
