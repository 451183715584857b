package io.tracefold.axon;

import io.opentelemetry.api.common.Attributes;
import io.tracefold.core.LinkLimits;
import io.tracefold.core.LinkOptions;
import io.tracefold.core.Tracefold;
import io.tracefold.core.TracefoldAttributes;
import org.jspecify.annotations.Nullable;

/**
 * Resolved tracing settings of one {@link TracedAggregate} class: its link limits and the
 * attributes every lineage span of it carries.
 */
final class AggregateTracing {

  /** The longest entity id put into a span attribute as it is; longer ones are cut (and marked). */
  static final int MAX_ID_ATTRIBUTE_LENGTH = 256;

  private final LinkLimits limits;
  private final Attributes lineageAttributes;
  private final LinkOptions options;

  private AggregateTracing(Class<?> aggregateType, LinkLimits limits) {
    this.limits = limits;
    this.lineageAttributes = Attributes.of(TracefoldAttributes.ENTITY_TYPE, aggregateType.getSimpleName());
    this.options = LinkOptions.builder().setLimits(limits).setLineageAttributes(lineageAttributes).build();
  }

  /**
   * Returns {@code id} bounded for a span attribute: ids come from payloads and commands, and a
   * backend should never receive an unbounded value from them.
   */
  static String boundedId(String id) {
    return id.length() <= MAX_ID_ATTRIBUTE_LENGTH ? id : id.substring(0, MAX_ID_ATTRIBUTE_LENGTH) + "…";
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

  /** Returns the link options of this aggregate (limits and lineage attributes). */
  LinkOptions options() {
    return options;
  }
}
