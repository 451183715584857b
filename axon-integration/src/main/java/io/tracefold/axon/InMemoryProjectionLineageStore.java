package io.tracefold.axon;

import io.tracefold.core.Lineage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ProjectionLineageStore} in memory, for tests, demos and in-memory read models: it
 * forgets everything when the process ends, as they do. Writes compare and set atomically.
 */
public final class InMemoryProjectionLineageStore implements ProjectionLineageStore {

  private final Map<String, EntityLineage> entries = new ConcurrentHashMap<>();

  /** Creates an empty store. */
  public InMemoryProjectionLineageStore() {}

  @Override
  public @Nullable EntityLineage load(String projection, String entityId) {
    return entries.get(key(projection, entityId));
  }

  @Override
  public boolean save(String projection, String entityId, @Nullable EntityLineage expected, Lineage lineage) {
    String key = key(projection, entityId);
    if (expected == null) {
      return entries.putIfAbsent(key, EntityLineage.of(lineage, 0)) == null;
    }
    EntityLineage current = entries.get(key);
    if (current == null || current.version() != expected.version()) {
      return false;
    }
    return entries.replace(key, current, EntityLineage.of(lineage, current.version() + 1));
  }

  /** Forgets every entity (e.g. when the read model it describes is emptied). */
  public void clear() {
    entries.clear();
  }

  private static String key(String projection, String entityId) {
    return projection + '\u0000' + entityId;
  }
}
