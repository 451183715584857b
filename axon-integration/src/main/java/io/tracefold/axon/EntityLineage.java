package io.tracefold.axon;

import io.tracefold.core.Lineage;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link ProjectionLineageStore} keeps per read-model entity: the entity's {@link Lineage}
 * and the identifiers of the first and last events applied, by which a replay from the start and a
 * redelivered event are recognised.
 */
public final class EntityLineage {

  private final Lineage lineage;
  private final @Nullable String firstEventId;
  private final @Nullable String lastEventId;

  private EntityLineage(Lineage lineage, @Nullable String firstEventId, @Nullable String lastEventId) {
    this.lineage = Objects.requireNonNull(lineage, "lineage");
    this.firstEventId = firstEventId;
    this.lastEventId = lastEventId;
  }

  /** Returns an entity lineage of these values. */
  public static EntityLineage of(Lineage lineage, @Nullable String firstEventId, @Nullable String lastEventId) {
    return new EntityLineage(lineage, firstEventId, lastEventId);
  }

  /** Returns the lineage. */
  public Lineage lineage() {
    return lineage;
  }

  /** Returns the identifier of the first event applied to the entity, or null. */
  public @Nullable String firstEventId() {
    return firstEventId;
  }

  /** Returns the identifier of the last event applied to the entity, or null. */
  public @Nullable String lastEventId() {
    return lastEventId;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof EntityLineage)) {
      return false;
    }
    EntityLineage that = (EntityLineage) o;
    return lineage.equals(that.lineage)
        && Objects.equals(firstEventId, that.firstEventId)
        && Objects.equals(lastEventId, that.lastEventId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(lineage, firstEventId, lastEventId);
  }
}
