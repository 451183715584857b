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

  // Per projection, per entity id: no key object made per read or write.
  private final Map<String, Map<String, EntityLineage>> projections = new ConcurrentHashMap<>();

  /** Creates an empty store. */
  public InMemoryProjectionLineageStore() {}

  @Override
  public @Nullable EntityLineage load(String projection, String entityId) {
    Map<String, EntityLineage> entities = projections.get(projection);
    return entities == null ? null : entities.get(entityId);
  }

  @Override
  public boolean save(String projection, String entityId, @Nullable EntityLineage expected, Lineage lineage) {
    Map<String, EntityLineage> entities = projections.get(projection);
    if (entities == null) {
      entities = projections.computeIfAbsent(projection, p -> new ConcurrentHashMap<>());
    }
    if (expected == null) {
      return entities.putIfAbsent(entityId, EntityLineage.of(lineage, 0)) == null;
    }
    EntityLineage current = entities.get(entityId);
    if (current == null || current.version() != expected.version()) {
      return false;
    }
    return entities.replace(entityId, current, EntityLineage.of(lineage, current.version() + 1));
  }

  /** Forgets every entity (e.g. when the read model it describes is emptied). */
  public void clear() {
    projections.clear();
  }
}
