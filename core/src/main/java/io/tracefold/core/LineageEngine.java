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
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

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

  /** A run of contributors to link: the collector's, or pending ones kept in a lineage. */
  private interface Contributors {
    int size();

    SpanContext context(int i);

    long sequence(int i);

    Attributes linkAttributes(int i);
  }

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
    Forest forest = new Forest(target, checkpoint, limits, lineageAttributes);
    Contributors contributors = of(collector, limits);
    int pending = forest.addFullNodes(contributors);
    if (seal) {
      // A snapshot hands everything on: the remainder becomes a (partial) node of its own.
      pending = forest.seal(contributors, pending);
    }
    int direct = forest.linkTarget(contributors, pending, contributors.size(), room);

    target.setAttribute(EVENTS, collector.events());
    target.setAttribute(CONTRIBUTORS, checkpoint.contributors() + collector.distinct());
    target.setAttribute(LINKS_DIRECT, (long) direct);
    target.setAttribute(LINEAGE_SPANS, forest.emitted);
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
    return advance(checkpoint, collector, forest.peaks, pending);
  }

  /**
   * Appends the collector's contributors to an entity lineage whose pending contributors travel
   * with it (see {@link Tracefold#append}). Never throws.
   */
  Lineage append(
      Span target,
      LinkCollector collector,
      Lineage previous,
      LinkLimits limits,
      int reservedLinks,
      Attributes lineageAttributes) {
    if (!target.isRecording()) {
      return previous;
    }
    try {
      int budget = limits.getMaxDirectLinks();
      List<LineageContributor> all = new ArrayList<>(previous.pending().size() + collector.distinct());
      all.addAll(previous.pending());
      int known = all.size();
      for (int i = 0; i < collector.distinct(); i++) {
        SpanContext context = collector.spanContextAt(i);
        if (!containsSpan(all, known, context)) {
          all.add(new LineageContributor(context, collector.sequenceAt(i), collector.eventTypeAt(i)));
        }
      }
      int added = all.size() - known;
      Forest forest = new Forest(target, previous, limits, lineageAttributes);
      Contributors contributors = of(all, limits);
      int pending = forest.addFullNodes(contributors);

      // An update's own events (a few) are linked directly, even once under a node; a large batch
      // is reached through the forest like any history.
      int linkedFrom = all.size();
      if (added <= budget / 2) {
        for (int i = known; i < all.size(); i++) {
          target.addLink(contributors.context(i), contributors.linkAttributes(i));
        }
        linkedFrom = known;
      }
      int linkedNew = all.size() - linkedFrom;
      int room = Math.max(1, budget - Math.max(0, reservedLinks) - linkedNew);
      int direct = linkedNew + forest.linkTarget(contributors, pending, linkedFrom, room);

      long unsampled = 0;
      for (int i = known; i < all.size(); i++) {
        if (!all.get(i).spanContext().isSampled()) {
          unsampled++;
        }
      }
      long total = previous.contributors() + added;
      target.setAttribute(EVENTS, collector.events());
      target.setAttribute(CONTRIBUTORS, total);
      target.setAttribute(LINKS_DIRECT, (long) direct);
      target.setAttribute(LINEAGE_SPANS, forest.emitted);
      target.setAttribute(CONTEXTS_INVALID, previous.invalid() + collector.invalid());
      target.setAttribute(CONTEXTS_MISSING, previous.missing() + collector.missing());
      target.setAttribute(CONTEXTS_UNSAMPLED, previous.unsampled() + unsampled);
      if (previous.corrupt() > 0) {
        target.setAttribute(PROVENANCE_CORRUPT, previous.corrupt());
      }
      if (!target.getSpanContext().isSampled()) {
        return previous;
      }
      return Lineage.of(
          forest.peaks,
          all.subList(pending, all.size()),
          Math.max(previous.coveredSequence(), collector.lastSequence()),
          total,
          previous.invalid() + collector.invalid(),
          previous.missing() + collector.missing(),
          previous.unsampled() + unsampled,
          previous.corrupt());
    } catch (RuntimeException e) {
      target.setAttribute(ERRORS, 1L);
      return previous;
    }
  }

  private static boolean containsSpan(List<LineageContributor> contributors, int count, SpanContext context) {
    for (int i = 0; i < count; i++) {
      SpanContext known = contributors.get(i).spanContext();
      if (known.getSpanId().equals(context.getSpanId()) && known.getTraceId().equals(context.getTraceId())) {
        return true;
      }
    }
    return false;
  }

  /** The lineage forest being extended by one reconstruction or update. */
  private final class Forest {
    final Span target;
    final Context parent;
    final List<LineageNode> peaks;
    final int budget;
    final LinkLimits limits;
    final Attributes lineageAttributes;
    long emitted;

    Forest(Span target, Lineage from, LinkLimits limits, Attributes lineageAttributes) {
      this.target = target;
      this.parent = Context.root().with(target);
      this.peaks = new ArrayList<>(from.peaks());
      this.budget = limits.getMaxDirectLinks();
      this.limits = limits;
      this.lineageAttributes = lineageAttributes;
    }

    /** Emits a kept level-0 node per full budget of contributors; returns the first one left pending. */
    int addFullNodes(Contributors contributors) {
      int pending = 0;
      while (contributors.size() - pending >= budget) {
        peaks.add(emitLeaf(contributors, pending, pending + budget, parent, true, lineageAttributes));
        emitted += 1 + fold(peaks, budget, parent, limits, lineageAttributes);
        pending += budget;
      }
      return pending;
    }

    /** Closes the pending remainder into a kept (partial) node; returns the new pending start. */
    int seal(Contributors contributors, int pending) {
      if (pending < contributors.size()) {
        peaks.add(emitLeaf(contributors, pending, contributors.size(), parent, true, lineageAttributes));
        emitted += 1 + fold(peaks, budget, parent, limits, lineageAttributes);
      }
      return contributors.size();
    }

    /**
     * Links the target to the peaks and the pending contributors before {@code linkedFrom} (those
     * from it on are linked by the caller), within {@code room} links: beyond it the pending ones
     * spill into a one-off node, and the peaks are grouped under one-off nodes. Returns the number
     * of links added.
     */
    int linkTarget(Contributors contributors, int pending, int linkedFrom, int room) {
      List<LineageNode> direct = peaks;
      int end = Math.max(pending, Math.min(linkedFrom, contributors.size()));
      int pendingCount = end - pending;
      if (peaks.size() + pendingCount > room) {
        direct = new ArrayList<>(peaks);
        if (pendingCount > 0) {
          direct.add(emitLeaf(contributors, pending, contributors.size(), parent, false, lineageAttributes));
          emitted++;
          pendingCount = 0;
        }
        while (direct.size() > room) {
          List<LineageNode> grouped = new ArrayList<>((direct.size() + budget - 1) / budget);
          for (int from = 0; from < direct.size(); from += budget) {
            List<LineageNode> group = direct.subList(from, Math.min(direct.size(), from + budget));
            if (group.size() == 1) {
              grouped.add(group.get(0));
            } else {
              grouped.add(emitNode(group, parent, false, limits, lineageAttributes));
              emitted++;
            }
          }
          direct = grouped;
        }
      }
      for (LineageNode node : direct) {
        target.addLink(node.spanContext(), nodeLinkAttributes(node, limits));
      }
      for (int i = end - pendingCount; i < end; i++) {
        target.addLink(contributors.context(i), contributors.linkAttributes(i));
      }
      return direct.size() + pendingCount;
    }
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
  private int fold(
      List<LineageNode> peaks, int budget, Context parent, LinkLimits limits, Attributes lineageAttributes) {
    int emitted = 0;
    while (peaks.size() >= budget) {
      int last = peaks.size() - 1;
      int level = peaks.get(last).level();
      int first = peaks.size() - budget;
      if (peaks.get(first).level() != level) {
        return emitted;
      }
      List<LineageNode> group = peaks.subList(first, peaks.size());
      LineageNode node = emitNode(group, parent, true, limits, lineageAttributes);
      group.clear();
      peaks.add(node);
      emitted++;
    }
    return emitted;
  }

  private LineageNode emitLeaf(
      Contributors contributors, int from, int to, Context parent, boolean checkpoint, Attributes lineageAttributes) {
    SpanBuilder builder = lineageSpan(parent, lineageAttributes);
    for (int i = from; i < to; i++) {
      builder.addLink(contributors.context(i), contributors.linkAttributes(i));
    }
    return finish(builder, 0, to - from, contributors.sequence(from), contributors.sequence(to - 1), checkpoint);
  }

  private static Contributors of(LinkCollector collector, LinkLimits limits) {
    return new Contributors() {
      @Override
      public int size() {
        return collector.distinct();
      }

      @Override
      public SpanContext context(int i) {
        return collector.spanContextAt(i);
      }

      @Override
      public long sequence(int i) {
        return collector.sequenceAt(i);
      }

      @Override
      public Attributes linkAttributes(int i) {
        return eventLinkAttributes(collector.sequenceAt(i), collector.eventTypeAt(i), limits);
      }
    };
  }

  private static Contributors of(List<LineageContributor> list, LinkLimits limits) {
    return new Contributors() {
      @Override
      public int size() {
        return list.size();
      }

      @Override
      public SpanContext context(int i) {
        return list.get(i).spanContext();
      }

      @Override
      public long sequence(int i) {
        return list.get(i).sequence();
      }

      @Override
      public Attributes linkAttributes(int i) {
        return list.get(i).linkAttributes(limits);
      }
    };
  }

  private LineageNode emitNode(
      List<LineageNode> children, Context parent, boolean checkpoint, LinkLimits limits, Attributes lineageAttributes) {
    SpanBuilder builder = lineageSpan(parent, lineageAttributes);
    int level = 0;
    long contributors = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (LineageNode child : children) {
      builder.addLink(child.spanContext(), nodeLinkAttributes(child, limits));
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
      target.addLink(
          collector.spanContextAt(i), eventLinkAttributes(collector.sequenceAt(i), collector.eventTypeAt(i), limits));
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
  static Attributes eventLinkAttributes(long sequence, @Nullable String type, LinkLimits limits) {
    int max = limits.getMaxAttributesPerLink();
    if (max >= 3 && type != null) {
      // The common case, without a builder's list and copy.
      return Attributes.of(LINK_KIND, LINK_KIND_EVENT, EVENT_SEQUENCE, sequence, EVENT_TYPE, type);
    }
    AttributesBuilder attributes = Attributes.builder();
    if (max > 0) {
      attributes.put(LINK_KIND, LINK_KIND_EVENT);
    }
    if (max > 1) {
      attributes.put(EVENT_SEQUENCE, sequence);
    }
    if (max > 2 && type != null) {
      attributes.put(EVENT_TYPE, type);
    }
    return attributes.build();
  }

  /** Attributes of a link to a lineage span, most useful first, within the per-link limit. */
  static Attributes nodeLinkAttributes(LineageNode node, LinkLimits limits) {
    int max = limits.getMaxAttributesPerLink();
    if (max >= 5) {
      return Attributes.of(
          LINK_KIND, LINK_KIND_LINEAGE,
          LINEAGE_LEVEL, (long) node.level(),
          LINEAGE_CONTRIBUTORS, node.contributors(),
          LINEAGE_FIRST_SEQUENCE, node.firstSequence(),
          LINEAGE_LAST_SEQUENCE, node.lastSequence());
    }
    // The kind must survive: the link graph is followed through lineage links by it.
    AttributesBuilder attributes = Attributes.builder();
    if (max > 0) {
      attributes.put(LINK_KIND, LINK_KIND_LINEAGE);
    }
    if (max > 1) {
      attributes.put(LINEAGE_FIRST_SEQUENCE, node.firstSequence());
    }
    if (max > 2) {
      attributes.put(LINEAGE_LAST_SEQUENCE, node.lastSequence());
    }
    if (max > 3) {
      attributes.put(LINEAGE_CONTRIBUTORS, node.contributors());
    }
    return attributes.build();
  }
}
