package io.tracefold.core;

import io.opentelemetry.api.trace.SpanContext;
import java.util.Objects;

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
