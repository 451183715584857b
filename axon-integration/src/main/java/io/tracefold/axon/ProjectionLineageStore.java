package io.tracefold.axon;

import org.jspecify.annotations.Nullable;

/**
 * Where the per-entity lineage of {@link TracedProjection} read models lives: beside the read
 * model (same database), so that it survives restarts as long as the read model does.
 *
 * <p>Implementations: {@link InMemoryProjectionLineageStore} (tests, demos) and
 * {@link JdbcProjectionLineageStore}. Exceptions thrown by a store are caught, logged and counted
 * on the update span; the projection itself always runs.
 */
public interface ProjectionLineageStore {

  /** Returns the lineage of an entity of a projection, or null if none is stored. */
  @Nullable
  EntityLineage load(String projection, String entityId);

  /** Stores the lineage of an entity of a projection, replacing any previous one. */
  void save(String projection, String entityId, EntityLineage lineage);
}
