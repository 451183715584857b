package io.tracefold.axon;

import io.tracefold.core.Lineage;
import org.jspecify.annotations.Nullable;

/**
 * Where the per-entity lineage of {@link TracedProjection} read models lives: beside the read
 * model (same database), so that it survives restarts as long as the read model does.
 *
 * <p>Writers may race (processor segments, nodes, retried batches): every write is a
 * compare-and-set against the version that was read, and Tracefold retries a lost race by
 * recording its contributors into the winner's lineage. A write made inside the read model's
 * transaction (e.g. {@link JdbcProjectionLineageStore} on a transaction-aware data source) commits
 * or rolls back with it; a store must never fail that transaction.
 *
 * <p>Implementations: {@link InMemoryProjectionLineageStore} (tests, demos) and
 * {@link JdbcProjectionLineageStore}. Exceptions thrown by a store are caught, logged and counted
 * on the update span; the projection itself always runs.
 */
public interface ProjectionLineageStore {

  /** Returns the lineage of an entity of a projection and its version, or null if none is stored. */
  @Nullable
  EntityLineage load(String projection, String entityId);

  /**
   * Stores {@code lineage} for an entity of a projection if the stored version is still
   * {@code expected}'s (or, when {@code expected} is null, if none is stored yet).
   *
   * @return whether it was stored; false when another writer stored a version first
   */
  boolean save(String projection, String entityId, @Nullable EntityLineage expected, Lineage lineage);
}
