package io.tracefold.core;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One emitted lineage span of a {@link Lineage}: a node that reaches {@link #contributors()} event
 * spans, directly (level 0) or through lower-level nodes.
 */
final class LineageNode {

  private final SpanContext spanContext;
  private final int level;
  private final long contributors;
  private final long firstSequence;
  private final long lastSequence;
  // Link attributes, built once per limit: a lineage's peaks are linked on every reconstruction.
  // One reference to an immutable pair, so concurrent readers never see a torn value.
  private @Nullable CachedAttributes linkAttributes;

  LineageNode(SpanContext spanContext, int level, long contributors, long firstSequence, long lastSequence) {
    this.spanContext = spanContext;
    this.level = level;
    this.contributors = contributors;
    this.firstSequence = firstSequence;
    this.lastSequence = lastSequence;
  }

  /** Returns the context of the lineage span. */
  SpanContext spanContext() {
    return spanContext;
  }

  /** Returns the node's height: 0 links event spans, {@code n} links nodes of level {@code n-1}. */
  int level() {
    return level;
  }

  /** Returns the number of event spans this node reaches. */
  long contributors() {
    return contributors;
  }

  /** Returns the lowest event sequence number this node reaches. */
  long firstSequence() {
    return firstSequence;
  }

  /** Returns the highest event sequence number this node reaches. */
  long lastSequence() {
    return lastSequence;
  }

  /** Returns the attributes of a link to this node under {@code limits}. */
  Attributes linkAttributes(LinkLimits limits) {
    int max = limits.getMaxAttributesPerLink();
    CachedAttributes cached = linkAttributes;
    if (cached == null || cached.limit != max) {
      cached = new CachedAttributes(max, LineageEngine.nodeLinkAttributes(this, limits));
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
    if (!(o instanceof LineageNode)) {
      return false;
    }
    LineageNode that = (LineageNode) o;
    return level == that.level
        && contributors == that.contributors
        && firstSequence == that.firstSequence
        && lastSequence == that.lastSequence
        && spanContext.getTraceId().equals(that.spanContext.getTraceId())
        && spanContext.getSpanId().equals(that.spanContext.getSpanId())
        && spanContext.getTraceFlags().equals(that.spanContext.getTraceFlags());
  }

  @Override
  public int hashCode() {
    // Whether the context is remote is irrelevant: a decoded node equals the one that was encoded.
    return Objects.hash(spanContext.getSpanId(), level, contributors, firstSequence, lastSequence);
  }

  @Override
  public String toString() {
    return "LineageNode{" + spanContext.getSpanId() + ", level=" + level + ", contributors=" + contributors
        + ", sequences=" + firstSequence + ".." + lastSequence + '}';
  }
}
