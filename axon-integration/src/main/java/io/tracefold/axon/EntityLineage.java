package io.tracefold.axon;

import io.tracefold.core.Lineage;
import java.util.Objects;

/**
 * What a {@link ProjectionLineageStore} keeps per read-model entity: the entity's {@link Lineage}
 * (anchored to the first and last events applied) and the version it was stored at, against which
 * the next write compares and sets.
 */
public final class EntityLineage {

  private final Lineage lineage;
  private final long version;

  private EntityLineage(Lineage lineage, long version) {
    this.lineage = Objects.requireNonNull(lineage, "lineage");
    this.version = version;
  }

  /** Returns an entity lineage stored at {@code version}. */
  public static EntityLineage of(Lineage lineage, long version) {
    return new EntityLineage(lineage, version);
  }

  /** Returns the lineage. */
  public Lineage lineage() {
    return lineage;
  }

  /** Returns the version the lineage was stored at (0 for the first write, then one more per write). */
  public long version() {
    return version;
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
    return version == that.version && lineage.equals(that.lineage);
  }

  @Override
  public int hashCode() {
    return Objects.hash(lineage, version);
  }

  @Override
  public String toString() {
    return "EntityLineage{version=" + version + ", " + lineage + '}';
  }
}
