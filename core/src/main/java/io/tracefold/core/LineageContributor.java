package io.tracefold.core;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A contributor kept in a {@link Lineage} because it is not yet under a full lineage node: the
 * span of an event, with what its link says about the event.
 */
final class LineageContributor {

  private final SpanContext spanContext;
  private final long sequence;
  private final @Nullable String eventType;
  // Link attributes, built once per limit: an entity's pending contributors are linked on every
  // update. One reference to an immutable pair, so concurrent readers never see a torn value.
  private @Nullable CachedAttributes linkAttributes;

  LineageContributor(SpanContext spanContext, long sequence, @Nullable String eventType) {
    this.spanContext = spanContext;
    this.sequence = sequence;
    this.eventType = eventType;
  }

  /** Returns the context of the event's span. */
  SpanContext spanContext() {
    return spanContext;
  }

  /** Returns the event's sequence number. */
  long sequence() {
    return sequence;
  }

  /** Returns the event's payload type, or null. */
  @Nullable String eventType() {
    return eventType;
  }

  /** Returns the attributes of a link to this contributor under {@code limits}. */
  Attributes linkAttributes(LinkLimits limits) {
    int max = limits.getMaxAttributesPerLink();
    CachedAttributes cached = linkAttributes;
    if (cached == null || cached.limit != max) {
      cached = new CachedAttributes(max, LineageEngine.eventLinkAttributes(sequence, eventType, limits));
      linkAttributes = cached;
    }
    return cached.attributes;
  }

  private static final class CachedAttributes {
    final int limit;
    final Attributes attributes;

    CachedAttributes(int limit, Attributes attributes) {
      this.limit = limit;
      this.attributes = attributes;
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof LineageContributor)) {
      return false;
    }
    LineageContributor that = (LineageContributor) o;
    return sequence == that.sequence
        && Objects.equals(eventType, that.eventType)
        && spanContext.getTraceId().equals(that.spanContext.getTraceId())
        && spanContext.getSpanId().equals(that.spanContext.getSpanId())
        && spanContext.getTraceFlags().equals(that.spanContext.getTraceFlags());
  }

  @Override
  public int hashCode() {
    return Objects.hash(spanContext.getSpanId(), sequence, eventType);
  }

  @Override
  public String toString() {
    return "LineageContributor{" + spanContext.getTraceId() + '/' + spanContext.getSpanId() + ", sequence="
        + sequence + ", type=" + eventType + '}';
  }
}
