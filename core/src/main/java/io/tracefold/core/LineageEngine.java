package io.tracefold.core;

import static io.tracefold.core.TracefoldAttributes.CHECKPOINT_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.CONTEXTS_DROPPED;
import static io.tracefold.core.TracefoldAttributes.CONTEXTS_INVALID;
import static io.tracefold.core.TracefoldAttributes.CONTEXTS_MISSING;
import static io.tracefold.core.TracefoldAttributes.CONTEXTS_UNSAMPLED;
import static io.tracefold.core.TracefoldAttributes.CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.ERRORS;
import static io.tracefold.core.TracefoldAttributes.EVENTS;
import static io.tracefold.core.TracefoldAttributes.EVENT_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.EVENT_TYPE;
import static io.tracefold.core.TracefoldAttributes.LINEAGE;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_AGE_MS;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_CHECKPOINT;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_FIRST_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_LAST_SEQUENCE;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_LEVEL;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPANS;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPAN_NAME;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_UNEXPORTED;
import static io.tracefold.core.TracefoldAttributes.LINKS_DIRECT;
import static io.tracefold.core.TracefoldAttributes.LINKS_DROPPED;
import static io.tracefold.core.TracefoldAttributes.LINKS_UNLINKED;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND_EVENT;
import static io.tracefold.core.TracefoldAttributes.LINK_KIND_LINEAGE;
import static io.tracefold.core.TracefoldAttributes.PROVENANCE_CORRUPT;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Records contributors into a {@link Lineage} and turns the lineage into links: direct links up to
 * the budget, and beyond it an append-only lineage forest (a Merkle-mountain-range of lineage
 * spans) whose full nodes become the lineage's peaks.
 *
 * <p><b>Recording is not emitting.</b> Every call records the new contributors, whatever the
 * sampling decision. Lineage spans are emitted only under a sampled span, and a node becomes part
 * of the lineage only if its own span was sampled (exported); otherwise its contributors stay
 * pending, so state never references a span that was not exported.
 *
 * <p>Shape: every {@code b} contributors (b = the budget) become one level-0 node, emitted once;
 * {@code b} nodes of one level fold into one node of the next. The forest's peaks, plus the
 * contributors not yet in a node, are what a reconstruction links. When those exceed the budget,
 * the pending contributors spill into extra nodes, and if the peaks alone still exceed it, they are
 * grouped under extra nodes; neither kind is kept in the lineage.
 */
final class LineageEngine {

  /**
   * Pending contributors linked one by one from which a sampled reconstruction puts all pending
   * ones under a tail node: a repeated reconstruction then links one node and fewer than this many
   * contributors, and a node is emitted at most once per this many new contributors.
   */
  static final int TAIL_MIN_LOOSE = 8;

  private final Tracer tracer;
  private final LongSupplier clock;

  LineageEngine(Tracer tracer, LongSupplier clock) {
    this.tracer = tracer;
    this.clock = clock;
  }

  /**
   * Records the collector's contributors into {@code state}, links {@code target} to every
   * contributor, and returns the new state ({@code state} itself if nothing could be recorded).
   * Never throws.
   */
  Lineage link(Span target, LinkCollector collector, Lineage state, LinkOptions options) {
    try {
      if (options.getLimits().getOverflowPolicy().isLossy()) {
        if (target.isRecording()) {
          linkLossy(target, collector, options.getLimits(), room(options));
        }
        return Lineage.empty();
      }
      return linkLossless(target, collector, state, options);
    } catch (RuntimeException | LinkageError e) {
      // Fail open: a tracing defect (or an OpenTelemetry API older than ours) must never break the
      // reconstruction it observes.
      markError(target);
      return state;
    }
  }

  static void markError(Span target) {
    try {
      target.setAttribute(ERRORS, 1L);
    } catch (RuntimeException | LinkageError ignored) {
      // nothing more to do
    }
  }

  private static int room(LinkOptions options) {
    return Math.max(1, options.getLimits().getMaxDirectLinks() - options.getReservedLinks());
  }

  private Lineage linkLossless(Span target, LinkCollector collector, Lineage state, LinkOptions options) {
    LinkLimits limits = options.getLimits();
    int budget = limits.getMaxDirectLinks();
    int maxPending = limits.getMaxPendingContributors();
    boolean recording = target.isRecording();
    boolean sampled = recording && target.getSpanContext().isSampled();
    if (options.isReplayable() && !sampled && state.pending().size() + collector.distinct() > maxPending) {
      // More than may be recorded, and nothing can be emitted: the stream is read again next time.
      if (recording) {
        setCounts(target, collector, state, state, 0, 0, 0, collector.distinct());
      }
      return state;
    }

    Run run = Run.of(state.pending(), collector, !options.isReplayable(), limits);
    int known = state.pending().size();
    int size = run.size();
    int added = size - known;

    Forest forest = new Forest(target, state, options);
    int from = 0;
    if (sampled) {
      from = forest.addFullNodes(run, 0);
      if (options.isSeal() && from < size && !forest.stalled) {
        from = forest.seal(run, from);
      }
    }

    int direct = 0;
    if (recording) {
      // An update's own few events (a stream not read again: a read-model entity) are linked
      // directly, even once under a node; a large batch, a replayable stream's events and a
      // sealed lineage's are reached through the forest like any history (each once).
      boolean callerLinksNew = options.isNewLinkedByCaller() && !options.isReplayable() && !options.isSeal();
      boolean linkNewDirectly =
          callerLinksNew || (!options.isReplayable() && !options.isSeal() && added > 0 && added <= budget / 2);
      int linkNewFrom = linkNewDirectly ? known : size;
      int pendingEnd = Math.max(from, Math.min(linkNewFrom, size));
      int room = Math.max(1, room(options) - (callerLinksNew ? 0 : size - linkNewFrom));
      // The state's tail node still stands for its first pending contributors unless a full node
      // took them in this call.
      LineageNode tail = from == 0 ? state.tail() : null;
      if (sampled && !options.isSeal() && pendingEnd - from < budget
          && looseCount(tail, from, pendingEnd) >= TAIL_MIN_LOOSE) {
        // Enough contributors are linked one by one: put them under a new tail node, which later
        // reconstructions link instead (emitted once per TAIL_MIN_LOOSE contributors). The new
        // contributors linked directly by this span (or its caller) stay out of it, so no event
        // is reached twice from one span; the tail still covers a prefix of the pending ones.
        LineageNode emitted = forest.emitTail(run, from, pendingEnd);
        if (emitted != null) { // else dropped by the sampler: the old tail (if any) still stands
          tail = emitted;
          forest.newTail = emitted;
        }
      }
      direct = forest.linkTarget(run, from, pendingEnd, room, sampled, tail);
      for (int i = linkNewFrom; i < size; i++) {
        if (!callerLinksNew) {
          run.link(target, i);
        }
        direct++;
      }
    }

    long unsampledNew = 0;
    for (int i = known; i < size; i++) {
      if (!run.sampled(i)) {
        unsampledNew++;
      }
    }
    List<LineageNode> peaks = sampled ? forest.peaks : state.peaks();
    int keepFrom = sampled ? from : 0;
    long contributors = state.contributors() + added;
    long dropped = state.dropped();
    int pendingCount = size - keepFrom;
    if (pendingCount > maxPending) {
      if (options.isReplayable()) {
        // The stream is read again: stop here rather than drop anything.
        if (recording) {
          setCounts(target, collector, state, state, direct, forest.emitted, forest.unexported, forest.unlinked);
        }
        return state;
      }
      int drop = pendingCount - maxPending;
      keepFrom += drop;
      dropped += drop;
      contributors -= drop;
    }
    LineageNode nextTail = forest.newTail != null ? forest.newTail : keepFrom == 0 ? state.tail() : null;
    if (nextTail != null && keepFrom > (sampled ? from : 0)) {
      nextTail = null; // pending contributors were dropped: the node no longer covers a prefix
    }
    Lineage next;
    if (collector.distinct() == 0 && keepFrom == 0 && peaks == state.peaks() && dropped == state.dropped()
        && nextTail == state.tail()
        && (sampled ? forest.emittedAtMillis : state.emittedAtMillis()) == state.emittedAtMillis()
        && collector.invalid() == 0 && collector.missing() == 0
        && collector.lastSequence() <= state.coveredSequence()) {
      // Nothing new (the steady state of a repeated load): the state as it is, not a copy of it.
      next = state;
    } else {
      PendingContributors pending;
      if (keepFrom == 0) {
        pending = run.appendedToPending(); // shares the state's arrays where it can
      } else {
        PendingContributors.Builder kept = new PendingContributors.Builder(size - keepFrom);
        for (int i = keepFrom; i < size; i++) {
          run.record(kept, i);
        }
        pending = kept.build();
      }
      next =
        Lineage.ofOwned(
            // The state's own peaks are immutable and shared; the forest's copy is handed over.
            sampled && forest.peaksCopied ? Collections.unmodifiableList(peaks) : state.peaks(),
            pending,
            Math.max(state.coveredSequence(), collector.lastSequence()),
            contributors,
            state.invalid() + collector.invalid(),
            state.missing() + collector.missing(),
            state.unsampled() + unsampledNew,
            state.corrupt(),
            dropped,
            sampled ? forest.emittedAtMillis : state.emittedAtMillis(),
            state.firstEventId(),
            state.lastEventId(),
            nextTail);
    }
    if (recording) {
      setCounts(target, collector, state, next, direct, forest.emitted, forest.unexported, forest.unlinked);
    }
    return next;
  }

  /** Returns how many of the run's contributors {@code [from, size)} are not under {@code tail}. */
  private static int looseCount(@Nullable LineageNode tail, int from, int size) {
    return size - from - (tail == null ? 0 : (int) tail.contributors());
  }

  private void setCounts(
      Span target,
      LinkCollector collector,
      Lineage state,
      Lineage next,
      int direct,
      long emitted,
      long unexported,
      long unlinked) {
    target.setAttribute(EVENTS, collector.events());
    target.setAttribute(CONTRIBUTORS, next == state ? state.contributors() + collector.distinct() : next.contributors());
    target.setAttribute(LINKS_DIRECT, (long) direct);
    // The rest are set only when not zero (absent means 0): each attribute costs the SDK a lock, a
    // boxed value and a map node, on every reconstruction.
    setIfPositive(target, LINEAGE_SPANS, emitted);
    setIfPositive(target, CONTEXTS_INVALID, state.invalid() + collector.invalid());
    setIfPositive(target, CONTEXTS_MISSING, state.missing() + collector.missing());
    setIfPositive(target, CONTEXTS_UNSAMPLED,
        next == state ? state.unsampled() + collector.unsampled() : next.unsampled());
    if (state.coveredSequence() >= 0) {
      target.setAttribute(CHECKPOINT_SEQUENCE, state.coveredSequence());
    }
    if (state.corrupt() > 0) {
      target.setAttribute(PROVENANCE_CORRUPT, state.corrupt());
    }
    if (next.dropped() > 0) {
      target.setAttribute(CONTEXTS_DROPPED, next.dropped());
    }
    if (unlinked > 0) {
      target.setAttribute(LINKS_UNLINKED, unlinked);
    }
    if (unexported > 0) {
      target.setAttribute(LINEAGE_UNEXPORTED, unexported);
    }
    if (state.emittedAtMillis() > 0) {
      target.setAttribute(LINEAGE_AGE_MS, Math.max(0, clock.getAsLong() - state.emittedAtMillis()));
    }
  }

  private static void setIfPositive(Span target, AttributeKey<Long> key, long value) {
    if (value > 0) {
      target.setAttribute(key, value);
    }
  }

  /**
   * The contributors of one call: the lineage's pending ones, then the collector's new ones (those
   * already pending left out when deduplicating).
   */
  private static final class Run {
    private static final int[] NO_INDEX = new int[0];
    final PendingContributors pending;
    final LinkCollector collector;
    final int[] newIndex;
    final int newCount;
    final LinkLimits limits;
    private LineageContributor @Nullable [] created;

    private Run(PendingContributors pending, LinkCollector collector, int[] newIndex, int newCount,
        LinkLimits limits) {
      this.pending = pending;
      this.collector = collector;
      this.newIndex = newIndex;
      this.newCount = newCount;
      this.limits = limits;
    }

    static Run of(PendingContributors pending, LinkCollector collector, boolean dedup, LinkLimits limits) {
      int distinct = collector.distinct();
      int[] index = distinct == 0 ? NO_INDEX : new int[distinct];
      int count = 0;
      for (int i = 0; i < distinct; i++) {
        if (dedup && !pending.isEmpty() && collector.isSpanIn(i, pending)) {
          continue; // already recorded (a redelivered or replayed event)
        }
        index[count++] = i;
      }
      return new Run(pending, collector, index, count, limits);
    }

    int size() {
      return pending.size() + newCount;
    }

    long sequence(int i) {
      int p = pending.size();
      return i < p ? pending.sequence(i) : collector.sequenceAt(newIndex[i - p]);
    }

    boolean sampled(int i) {
      int p = pending.size();
      return i < p ? pending.sampled(i) : collector.sampledAt(newIndex[i - p]);
    }

    /** Links {@code target} to contributor {@code i}. */
    void link(Span target, int i) {
      LineageContributor contributor = contributor(i);
      target.addLink(contributor, contributor.linkAttributes(limits));
    }

    /** Links the lineage span being built to contributor {@code i}. */
    void link(SpanBuilder builder, int i) {
      LineageContributor contributor = contributor(i);
      builder.addLink(contributor, contributor.linkAttributes(limits));
    }

    /** Adds contributor {@code i} to the next state's pending ones. */
    void record(PendingContributors.Builder next, int i) {
      int p = pending.size();
      if (i < p) {
        next.addFrom(pending, i);
      } else {
        next.add(contributor(i));
      }
    }

    /** Returns the state's pending contributors followed by every new one. */
    PendingContributors appendedToPending() {
      if (newCount == 0) {
        return pending;
      }
      int p = pending.size();
      for (int i = p; i < p + newCount; i++) {
        contributor(i); // makes each new one once
      }
      return pending.appended(created, newCount);
    }

    /**
     * Returns contributor {@code i}: a pending one is made anew (pending ones are packed); a new one
     * is made once per call of the engine.
     */
    LineageContributor contributor(int i) {
      int p = pending.size();
      if (i < p) {
        return pending.get(i);
      }
      int k = i - p;
      LineageContributor[] made = created;
      if (made == null) {
        made = new LineageContributor[newCount];
        created = made;
      }
      LineageContributor contributor = made[k];
      if (contributor == null) {
        contributor = collector.contributorAt(newIndex[k]);
        made[k] = contributor;
      }
      return contributor;
    }
  }

  /** The lineage forest being extended by one call. */
  private final class Forest {
    final Span target;
    private @Nullable Context parent;
    // The lineage's own (unmodifiable) peaks until a node is kept: a load that emits nothing
    // copies nothing.
    List<LineageNode> peaks;
    boolean peaksCopied;
    final int budget;
    final LinkLimits limits;
    final Attributes lineageAttributes;
    long emittedAtMillis;
    long emitted;
    long unexported;
    long unlinked;
    boolean stalled;
    // The tail node emitted by this call, if any.
    @Nullable LineageNode newTail;

    Forest(Span target, Lineage from, LinkOptions options) {
      this.target = target;
      this.peaks = from.peaks();
      this.limits = options.getLimits();
      this.budget = limits.getMaxDirectLinks();
      this.lineageAttributes = options.getLineageAttributes();
      this.emittedAtMillis = from.peaks().isEmpty() && from.tail() == null ? 0 : from.emittedAtMillis();
    }

    /**
     * Emits a kept level-0 node per full budget of contributors from {@code from} on; returns the
     * first one left pending. Stops at the first node whose span was not exported.
     */
    int addFullNodes(Run run, int from) {
      while (run.size() - from >= budget) {
        LineageNode node = emitLeaf(run, from, from + budget, true);
        if (node == null) {
          stalled = true;
          break;
        }
        keep(node);
        from += budget;
      }
      return from;
    }

    /** Emits a tail node over contributors {@code [from, to)}; null if its span was not exported. */
    @Nullable LineageNode emitTail(Run run, int from, int to) {
      LineageNode node = emitLeaf(run, from, to, true);
      if (node != null) {
        markEmitted();
      }
      return node;
    }

    /** Closes the pending remainder into a kept (partial) node; returns the new pending start. */
    int seal(Run run, int from) {
      LineageNode node = emitLeaf(run, from, run.size(), true);
      if (node == null) {
        stalled = true;
        return from;
      }
      keep(node);
      return run.size();
    }

    private void keep(LineageNode node) {
      if (!peaksCopied) {
        peaks = new ArrayList<>(peaks);
        peaksCopied = true;
      }
      peaks.add(node);
      markEmitted();
      fold();
    }

    /** Notes that a kept node was emitted: the state's age starts with its first one. */
    private void markEmitted() {
      if (emittedAtMillis == 0) {
        emittedAtMillis = clock.getAsLong();
      }
    }

    /** Folds {@code budget} trailing peaks of equal level into one node, repeatedly. */
    private void fold() {
      while (peaks.size() >= budget) {
        int first = peaks.size() - budget;
        int level = peaks.get(first).level();
        for (int i = first + 1; i < peaks.size(); i++) {
          if (peaks.get(i).level() != level) {
            return;
          }
        }
        List<LineageNode> group = peaks.subList(first, peaks.size());
        LineageNode node = emitNode(group, true);
        if (node == null) {
          return; // not exported: the children stay peaks
        }
        group.clear();
        peaks.add(node);
      }
    }

    /**
     * Links the target to the peaks, the tail node (if any: in place of the first contributors it
     * covers) and the pending contributors {@code [from, end)} within
     * {@code room} links: beyond it the pending ones spill into one-off nodes and the peaks are
     * grouped under one-off nodes (only when {@code canEmit}). What still does not fit is counted
     * in {@link #unlinked}. Returns the number of links added.
     */
    int linkTarget(Run run, int from, int end, int room, boolean canEmit, @Nullable LineageNode tail) {
      List<LineageNode> nodes = peaks;
      // The tail node is linked in place of the first pending contributors it covers.
      LineageNode extra = tail;
      int directFrom = tail == null ? from : Math.min(end, from + (int) tail.contributors());
      if (canEmit && nodes.size() + (extra == null ? 0 : 1) + (end - directFrom) > room) {
        nodes = new ArrayList<>(nodes);
        if (extra != null) {
          nodes.add(extra);
          extra = null;
        }
        while (directFrom < end) {
          int to = Math.min(end, directFrom + budget);
          LineageNode node = emitLeaf(run, directFrom, to, false);
          if (node == null) {
            break;
          }
          nodes.add(node);
          directFrom = to;
        }
        while (nodes.size() + (end - directFrom) > room && nodes.size() > 1) {
          List<LineageNode> grouped = new ArrayList<>((nodes.size() + budget - 1) / budget);
          for (int start = 0; start < nodes.size(); start += budget) {
            List<LineageNode> group = nodes.subList(start, Math.min(nodes.size(), start + budget));
            LineageNode node = group.size() == 1 ? null : emitNode(group, false);
            if (node == null) {
              grouped.addAll(group);
            } else {
              grouped.add(node);
            }
          }
          if (grouped.size() == nodes.size()) {
            break; // no grouping node was exported: no progress possible
          }
          nodes = grouped;
        }
      }
      int linked = 0;
      for (int i = 0, n = nodes.size(); i <= n; i++) {
        LineageNode node = i < n ? nodes.get(i) : extra;
        if (node == null) {
          break;
        }
        if (linked < room) {
          target.addLink(node.spanContext(), node.linkAttributes(limits));
          linked++;
        } else {
          unlinked += node.contributors();
        }
      }
      for (int i = directFrom; i < end; i++) {
        if (linked < room) {
          run.link(target, i);
          linked++;
        } else {
          unlinked++;
        }
      }
      return linked;
    }

    /** Emits a node linking contributors {@code [from, to)}; null if its span was not exported. */
    private @Nullable LineageNode emitLeaf(Run run, int from, int to, boolean checkpoint) {
      SpanBuilder builder = lineageSpan();
      for (int i = from; i < to; i++) {
        run.link(builder, i);
      }
      return finish(builder, 0, to - from, run.sequence(from), run.sequence(to - 1), checkpoint);
    }

    /** Emits a node linking {@code children}; null if its span was not exported. */
    private @Nullable LineageNode emitNode(List<LineageNode> children, boolean checkpoint) {
      SpanBuilder builder = lineageSpan();
      int level = 0;
      long contributors = 0;
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (LineageNode child : children) {
        builder.addLink(child.spanContext(), child.linkAttributes(limits));
        level = Math.max(level, child.level() + 1);
        contributors += child.contributors();
        first = Math.min(first, child.firstSequence());
        last = Math.max(last, child.lastSequence());
      }
      return finish(builder, level, contributors, first, last, checkpoint);
    }

    private Context parent() {
      Context context = parent;
      if (context == null) {
        context = Context.root().with(target);
        parent = context;
      }
      return context;
    }

    private SpanBuilder lineageSpan() {
      return tracer
          .spanBuilder(LINEAGE_SPAN_NAME)
          .setParent(parent())
          .setSpanKind(SpanKind.INTERNAL)
          .setAllAttributes(lineageAttributes)
          .setAttribute(LINEAGE, true);
    }

    private @Nullable LineageNode finish(
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
      emitted++;
      SpanContext context = span.getSpanContext();
      if (!context.isValid() || !context.isSampled()) {
        // Dropped by the sampler (e.g. by name): linking it would dangle.
        unexported++;
        return null;
      }
      return new LineageNode(context, level, contributors, Math.min(first, last), Math.max(first, last));
    }
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
    return EventLinkAttributes.of(sequence, type, limits.getMaxAttributesPerLink());
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
