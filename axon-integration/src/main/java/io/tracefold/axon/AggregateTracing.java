package io.tracefold.axon;

import io.opentelemetry.api.common.Attributes;
import io.tracefold.core.LinkLimits;
import io.tracefold.core.Tracefold;
import io.tracefold.core.TracefoldAttributes;
import org.jspecify.annotations.Nullable;

/**
 * Resolved tracing settings of one {@link TracedAggregate} class: its link limits and the
 * attributes every lineage span of it carries.
 */
final class AggregateTracing {

  private final LinkLimits limits;
  private final Attributes lineageAttributes;

  private AggregateTracing(Class<?> aggregateType, LinkLimits limits) {
    this.limits = limits;
    this.lineageAttributes = Attributes.of(TracefoldAttributes.ENTITY_TYPE, aggregateType.getSimpleName());
  }

  /**
   * Returns the settings of {@code type}, or null when it is not annotated with
   * {@link TracedAggregate}.
   *
   * @throws IllegalArgumentException if the annotation's settings are invalid (configuration time)
   */
  static @Nullable AggregateTracing of(Class<?> type, Tracefold tracefold) {
    TracedAggregate annotation = type.getAnnotation(TracedAggregate.class);
    if (annotation == null) {
      return null;
    }
    LinkLimits.Builder limits = tracefold.getLinkLimits().toBuilder();
    try {
      if (annotation.maxDirectLinks() != 0) {
        limits.setMaxDirectLinks(annotation.maxDirectLinks());
      }
      if (annotation.overflowPolicy().length > 1) {
        throw new IllegalArgumentException("overflowPolicy takes at most one value");
      }
      if (annotation.overflowPolicy().length == 1) {
        limits.setOverflowPolicy(annotation.overflowPolicy()[0]);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("@TracedAggregate on " + type.getName() + ": " + e.getMessage(), e);
    }
    return new AggregateTracing(type, limits.build());
  }

  LinkLimits limits() {
    return limits;
  }

  Attributes lineageAttributes() {
    return lineageAttributes;
  }
}
