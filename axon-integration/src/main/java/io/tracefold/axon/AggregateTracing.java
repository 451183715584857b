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
  // Per reconstruction kind (rehydration, snapshot) and reserved links (0, or 1 for a snapshot
  // span): built once, not per load.
  private final LinkOptions[] reconstructionOptions = new LinkOptions[4];

  private AggregateTracing(Class<?> aggregateType, LinkLimits limits) {
    this.limits = limits;
    Attributes lineageAttributes = Attributes.of(TracefoldAttributes.ENTITY_TYPE, aggregateType.getSimpleName());
    LinkOptions options = LinkOptions.builder().setLimits(limits).setLineageAttributes(lineageAttributes).build();
    for (int i = 0; i < reconstructionOptions.length; i++) {
      boolean seal = (i & 2) != 0;
      reconstructionOptions[i] =
          options.toBuilder().setSeal(seal).setReplayable(!seal).setReservedLinks(i & 1).build();
    }
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

  /**
   * Returns the options of a reconstruction: a rehydration (replayable: its events are read again)
   * or a snapshot ({@code seal}: it hands everything on), with {@code reserved} (0 or 1) links kept
   * for the caller.
   */
  LinkOptions reconstructionOptions(boolean seal, int reserved) {
    return reconstructionOptions[(seal ? 2 : 0) | (reserved > 0 ? 1 : 0)];
  }
}
