package io.tracefold.axon;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ProjectionLineageStore} in memory, for tests, demos and in-memory read models: it
 * forgets everything when the process ends, as they do.
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
  public void save(String projection, String entityId, EntityLineage lineage) {
    entries.put(key(projection, entityId), lineage);
  }

  private static String key(String projection, String entityId) {
    return projection + '\u0000' + entityId;
  }
}
