package io.tracefold.core;

import static io.tracefold.core.TracefoldAttributes.CHECKPOINT_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.CONTEXTS_INVALID;
import static io.tracefold.core.TracefoldAttributes.CONTEXTS_MISSING;
import static io.tracefold.core.TracefoldAttributes.CONTEXTS_UNSAMPLED;
import static io.tracefold.core.TracefoldAttributes.CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.ERRORS;
import static io.tracefold.core.TracefoldAttributes.EVENTS;
import static io.tracefold.core.TracefoldAttributes.EVENT_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.EVENT_TYPE;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_CHECKPOINT;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_FIRST_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_LAST_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_LEVEL;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPANS;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPAN_NAME;
import static io.tracefold.core.TracefoldAttributes.LINKS_DIRECT;
import static io.tracefold.core.TracefoldAttributes.LINKS_DROPPED;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND_EVENT;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND_LINEAGE;
import static io.tracefold.core.TracefoldAttributes.PROVENANCE_CORRUPT;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns collected contributors into links: direct links up to the budget, and beyond it an
 * append-only lineage forest (a Merkle-mountain-range of lineage spans) whose full nodes are kept as
 * checkpoints.
 *
 * <p>Shape: every {@code b} contributors (b = the budget) become one level-0 node, emitted once;
 * {@code b} nodes of one level fold into one node of the next. The forest's peaks, plus the
 * contributors not yet in a full node, are what a reconstruction links. When those exceed the
 * budget, the pending contributors spill into one extra node, and if the peaks alone still exceed
 * it, they are grouped under extra nodes; neither kind is kept as a checkpoint.
 */
final class LineageEngine {

  private final Tracer tracer;

  LineageEngine(Tracer tracer) {
    this.tracer = tracer;
  }

  /**
   * Links {@code target} to everything in {@code checkpoint} and {@code collector} and returns the
   * checkpoint to keep (the given one if nothing could be advanced). Never throws.
   */
  Lineage link(
      Span target,
      LinkCollector collector,
      Lineage checkpoint,
      LinkLimits limits,
      boolean seal,
      int reservedLinks,
      Attributes lineageAttributes) {
    if (!target.isRecording()) {
      return checkpoint;
    }
    try {
      int budget = limits.getMaxDirectLinks();
      int room = Math.max(1, budget - Math.max(0, reservedLinks));
      if (limits.getOverflowPolicy().isLossy()) {
        linkLossy(target, collector, limits, room);
        return Lineage.empty();
      }
      return linkLossless(target, collector, checkpoint, limits, seal, room, lineageAttributes);
    } catch (RuntimeException e) {
      // Fail open: a tracing defect must never break the reconstruction it observes.
      target.setAttribute(ERRORS, 1L);
      return checkpoint;
    }
  }

  private Lineage linkLossless(
      Span target,
      LinkCollector collector,
      Lineage checkpoint,
      LinkLimits limits,
      boolean seal,
      int room,
      Attributes lineageAttributes) {
    int budget = limits.getMaxDirectLinks();
    Context parent = Context.root().with(target);
    List<LineageNode> peaks = new ArrayList<>(checkpoint.peaks());
    int distinct = collector.distinct();
    long emitted = 0;

    // Full level-0 nodes: emitted once, kept as checkpoints, folded upwards.
    int pending = 0;
    while (distinct - pending >= budget) {
      peaks.add(emitLeaf(collector, pending, pending + budget, parent, true, limits, lineageAttributes));
      emitted += 1 + fold(peaks, budget, parent, lineageAttributes);
      pending += budget;
    }
    if (seal && pending < distinct) {
      // A snapshot hands everything on: the remainder becomes a (partial) node of its own.
      peaks.add(emitLeaf(collector, pending, distinct, parent, true, limits, lineageAttributes));
      emitted += 1 + fold(peaks, budget, parent, lineageAttributes);
      pending = distinct;
    }

    // What the target links: the peaks, then the contributors not yet under a node.
    List<LineageNode> direct = peaks;
    int pendingCount = distinct - pending;
    if (peaks.size() + pendingCount > room) {
      direct = new ArrayList<>(peaks);
      if (pendingCount > 0) {
        direct.add(emitLeaf(collector, pending, distinct, parent, false, limits, lineageAttributes));
        emitted++;
        pendingCount = 0;
      }
      while (direct.size() > room) {
        List<LineageNode> grouped = new ArrayList<>((direct.size() + budget - 1) / budget);
        for (int from = 0; from < direct.size(); from += budget) {
          List<LineageNode> group = direct.subList(from, Math.min(direct.size(), from + budget));
          grouped.add(group.size() == 1 ? group.get(0) : emitNode(group, parent, false, lineageAttributes));
          emitted += group.size() == 1 ? 0 : 1;
        }
        direct = grouped;
      }
    }
    for (LineageNode node : direct) {
      target.addLink(node.spanContext(), nodeLinkAttributes(node));
    }
    for (int i = distinct - pendingCount; i < distinct; i++) {
      target.addLink(collector.spanContextAt(i), eventLinkAttributes(collector, i, limits));
    }

    long totalContributors = checkpoint.contributors() + distinct;
    target.setAttribute(EVENTS, collector.events());
    target.setAttribute(CONTRIBUTORS, totalContributors);
    target.setAttribute(LINKS_DIRECT, (long) (direct.size() + pendingCount));
    target.setAttribute(LINEAGE_SPANS, emitted);
    target.setAttribute(CONTEXTS_INVALID, checkpoint.invalid() + collector.invalid());
    target.setAttribute(CONTEXTS_MISSING, checkpoint.missing() + collector.missing());
    target.setAttribute(CONTEXTS_UNSAMPLED, checkpoint.unsampled() + collector.unsampled());
    if (checkpoint.coveredSequence() >= 0) {
      target.setAttribute(CHECKPOINT_SEQUENCE, checkpoint.coveredSequence());
    }
    if (checkpoint.corrupt() > 0) {
      target.setAttribute(PROVENANCE_CORRUPT, checkpoint.corrupt());
    }

    if (!target.getSpanContext().isSampled()) {
      // Nodes of an unsampled trace are never exported: linking them later would dangle.
      return checkpoint;
    }
    return advance(checkpoint, collector, peaks, pending);
  }

  /** The checkpoint after this reconstruction: its peaks cover contributors [0, pending). */
  private static Lineage advance(Lineage checkpoint, LinkCollector collector, List<LineageNode> peaks, int pending) {
    long covered;
    long invalid;
    long missing;
    if (pending < collector.distinct()) {
      covered = collector.sequenceAt(pending) - 1;
      invalid = collector.invalidBefore(pending);
      missing = collector.missingBefore(pending);
    } else {
      covered = Math.max(checkpoint.coveredSequence(), collector.lastSequence());
      invalid = collector.invalid();
      missing = collector.missing();
    }
    long unsampled = 0;
    for (int i = 0; i < pending; i++) {
      if (!collector.sampledAt(i)) {
        unsampled++;
      }
    }
    return Lineage.of(
        peaks,
        covered,
        checkpoint.contributors() + pending,
        checkpoint.invalid() + invalid,
        checkpoint.missing() + missing,
        checkpoint.unsampled() + unsampled,
        checkpoint.corrupt());
  }

  /** Folds {@code budget} trailing peaks of equal level into one node, repeatedly; returns spans emitted. */
  private int fold(List<LineageNode> peaks, int budget, Context parent, Attributes lineageAttributes) {
    int emitted = 0;
    while (peaks.size() >= budget) {
      int last = peaks.size() - 1;
      int level = peaks.get(last).level();
      int first = peaks.size() - budget;
      if (peaks.get(first).level() != level) {
        return emitted;
      }
      List<LineageNode> group = peaks.subList(first, peaks.size());
      LineageNode node = emitNode(group, parent, true, lineageAttributes);
      group.clear();
      peaks.add(node);
      emitted++;
    }
    return emitted;
  }

  private LineageNode emitLeaf(
      LinkCollector collector,
      int from,
      int to,
      Context parent,
      boolean checkpoint,
      LinkLimits limits,
      Attributes lineageAttributes) {
    SpanBuilder builder = lineageSpan(parent, lineageAttributes);
    for (int i = from; i < to; i++) {
      builder.addLink(collector.spanContextAt(i), eventLinkAttributes(collector, i, limits));
    }
    return finish(builder, 0, to - from, collector.sequenceAt(from), collector.sequenceAt(to - 1), checkpoint);
  }

  private LineageNode emitNode(
      List<LineageNode> children, Context parent, boolean checkpoint, Attributes lineageAttributes) {
    SpanBuilder builder = lineageSpan(parent, lineageAttributes);
    int level = 0;
    long contributors = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (LineageNode child : children) {
      builder.addLink(child.spanContext(), nodeLinkAttributes(child));
      level = Math.max(level, child.level() + 1);
      contributors += child.contributors();
      first = Math.min(first, child.firstSequence());
      last = Math.max(last, child.lastSequence());
    }
    return finish(builder, level, contributors, first, last, checkpoint);
  }

  private SpanBuilder lineageSpan(Context parent, Attributes lineageAttributes) {
    return tracer
        .spanBuilder(LINEAGE_SPAN_NAME)
        .setParent(parent)
        .setSpanKind(SpanKind.INTERNAL)
        .setAllAttributes(lineageAttributes);
  }

  private static LineageNode finish(
      SpanBuilder builder, int level, long contributors, long first, long last, boolean checkpoint) {
    Span span =
        builder
            .setAttribute(LINEAGE_LEVEL, (long) level)
            .setAttribute(LINEAGE_CONTRIBUTORS, contributors)
            .setAttribute(LINEAGE_FIRST_SEQUENCE, first)
            .setAttribute(LINEAGE_LAST_SEQUENCE, last)
            .setAttribute(LINEAGE_CHECKPOINT, checkpoint)
            .startSpan();
    span.end();
    return new LineageNode(span.getSpanContext(), level, contributors, first, last);
  }

  private static void linkLossy(Span target, LinkCollector collector, LinkLimits limits, int room) {
    int distinct = collector.distinct();
    int linked = Math.min(distinct, room);
    boolean latest = limits.getOverflowPolicy() == OverflowPolicy.KEEP_LATEST_LOSSY;
    int from = latest ? distinct - linked : 0;
    for (int i = from; i < from + linked; i++) {
      target.addLink(collector.spanContextAt(i), eventLinkAttributes(collector, i, limits));
    }
    target.setAttribute(EVENTS, collector.events());
    target.setAttribute(CONTRIBUTORS, (long) distinct);
    target.setAttribute(LINKS_DIRECT, (long) linked);
    target.setAttribute(LINKS_DROPPED, (long) (distinct - linked));
    target.setAttribute(LINEAGE_SPANS, 0L);
    target.setAttribute(CONTEXTS_INVALID, collector.invalid());
    target.setAttribute(CONTEXTS_MISSING, collector.missing());
    target.setAttribute(CONTEXTS_UNSAMPLED, collector.unsampled());
  }

  /** Attributes of a link to an event span, most useful first, within the per-link limit. */
  static Attributes eventLinkAttributes(LinkCollector collector, int i, LinkLimits limits) {
    int max = limits.getMaxAttributesPerLink();
    AttributesBuilder attributes = Attributes.builder();
    if (max > 0) {
      attributes.put(LINK_KIND, LINK_KIND_EVENT);
    }
    if (max > 1) {
      attributes.put(EVENT_SEQUENCE, collector.sequenceAt(i));
    }
    String type = collector.eventTypeAt(i);
    if (max > 2 && type != null) {
      attributes.put(EVENT_TYPE, type);
    }
    return attributes.build();
  }

  /** Attributes of a link to a lineage span. */
  static Attributes nodeLinkAttributes(LineageNode node) {
    return Attributes.of(
        LINK_KIND, LINK_KIND_LINEAGE,
        LINEAGE_LEVEL, (long) node.level(),
        LINEAGE_CONTRIBUTORS, node.contributors(),
        LINEAGE_FIRST_SEQUENCE, node.firstSequence(),
        LINEAGE_LAST_SEQUENCE, node.lastSequence());
  }
}
