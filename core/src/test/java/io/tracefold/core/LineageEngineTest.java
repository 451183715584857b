package io.tracefold.core;

import static io.tracefold.core.TracefoldAttributes.CONTEXTS_INVALID;
import static io.tracefold.core.TracefoldAttributes.CONTEXTS_MISSING;
import static io.tracefold.core.TracefoldAttributes.CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.EVENTS;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPANS;
import static io.tracefold.core.TracefoldAttributes.LINKS_DIRECT;
import static io.tracefold.core.TracefoldAttributes.LINKS_DROPPED;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tracefold.core.testing.ProvenanceGraph;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineageEngineTest {

  @RegisterExtension static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

  private final SplittableRandom random = new SplittableRandom(42);

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 127, 128, 129, 1000, 100_000})
  void link_distinctContexts_reachesExactlyAll(int n) {
    Tracefold tracefold = Tracefold.create(otel.getOpenTelemetry());
    List<String> contexts = contexts(n);
    LinkCollector collector = tracefold.newCollector();
    for (int i = 0; i < n; i++) {
      collector.offer(contexts.get(i), null, i, "OrderPlaced");
    }

    SpanData root = reconstruct(tracefold, collector, Lineage.empty());

    assertReachesExactly(root, contexts, 128);
    assertThat(root.getAttributes().get(CONTRIBUTORS)).isEqualTo(n);
    assertThat(root.getAttributes().get(EVENTS)).isEqualTo(n);
    assertThat(root.getAttributes().get(LINKS_DIRECT)).isEqualTo(root.getLinks().size());
    long lineageSpans = otel.getSpans().size() - 1;
    assertThat(root.getAttributes().get(LINEAGE_SPANS)).isEqualTo(lineageSpans == 0 ? null : lineageSpans);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 129, 1000})
  void link_duplicatesAndBadContexts_countedAndDeduplicated(int n) {
    Tracefold tracefold = Tracefold.create(otel.getOpenTelemetry());
    List<String> contexts = contexts(n);
    LinkCollector collector = tracefold.newCollector();
    long seq = 0;
    for (int i = 0; i < n; i++) {
      collector.offer(contexts.get(i), null, seq++, "E");
      collector.offer(contexts.get(random.nextInt(i + 1)), null, seq++, "E");
      collector.offer("00-not-a-traceparent", null, seq++, "E");
      collector.offer(null, null, seq++, "E");
      collector.offer(42, null, seq++, "E");
    }

    SpanData root = reconstruct(tracefold, collector, Lineage.empty());

    assertReachesExactly(root, contexts, 128);
    assertThat(root.getAttributes().get(EVENTS)).isEqualTo(5L * n);
    assertThat(root.getAttributes().get(CONTRIBUTORS)).isEqualTo(n);
    assertThat(root.getAttributes().get(CONTEXTS_INVALID)).isEqualTo(n);
    assertThat(root.getAttributes().get(CONTEXTS_MISSING)).isEqualTo(2L * n);
  }

  @Test
  void link_smallBudget_depthIsLogarithmic() {
    LinkLimits limits = LinkLimits.builder().setMaxDirectLinks(4).build();
    Tracefold tracefold = Tracefold.builder(otel.getOpenTelemetry()).setLinkLimits(limits).build();
    List<String> contexts = contexts(1000);
    LinkCollector collector = tracefold.newCollector();
    for (int i = 0; i < contexts.size(); i++) {
      collector.offer(contexts.get(i), null, i, "E");
    }

    SpanData root = reconstruct(tracefold, collector, Lineage.empty());

    ProvenanceGraph.Reach reach = assertReachesExactly(root, contexts, 4);
    // 1000 contributors at fan-out 4: ⌈log4 1000⌉ = 5 levels of nodes, plus spill grouping.
    assertThat(reach.maxHops()).isLessThanOrEqualTo(8);
  }

  @Test
  void link_repeatedReconstructions_reuseCheckpointAndStayBounded() {
    Tracefold tracefold = Tracefold.create(otel.getOpenTelemetry());
    List<String> contexts = new ArrayList<>(contexts(1000));
    Lineage checkpoint = Lineage.empty();
    List<Integer> spansPerLoad = new ArrayList<>();
    for (int load = 0; load < 100; load++) {
      // Each "command" appends 10 events, then the entity is reconstructed again.
      contexts.addAll(contexts(10));
      LinkCollector collector = collectAfter(tracefold, contexts, checkpoint);
      int before = otel.getSpans().size();
      checkpoint = reconstructKeeping(tracefold, collector, checkpoint);
      spansPerLoad.add(otel.getSpans().size() - before);
    }

    // The first load pays for the history once (1000 / 128 full nodes); then each load emits the
    // reconstruction span, at most one new full node and, rarely, one fold or spill node.
    assertThat(spansPerLoad.get(0)).isLessThanOrEqualTo(1 + 1000 / 128 + 1);
    assertThat(spansPerLoad.subList(1, spansPerLoad.size())).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(3));
    assertReachesExactly(last("reconstruct"), contexts, 128);
  }

  @Test
  void link_repeatedReconstructions_everyLoadReachesAllContributors() {
    Tracefold tracefold = Tracefold.create(otel.getOpenTelemetry());
    List<String> contexts = new ArrayList<>(contexts(300));
    Lineage checkpoint = Lineage.empty();
    for (int load = 0; load < 40; load++) {
      contexts.addAll(contexts(7));
      LinkCollector collector = collectAfter(tracefold, contexts, checkpoint);
      Span span = otel.getOpenTelemetry().getTracer("test").spanBuilder("load").startSpan();
      checkpoint = tracefold.link(span, collector, checkpoint);
      span.end();
      SpanData root = last("load");
      assertReachesExactly(root, contexts, 128);
      assertThat(root.getAttributes().get(CONTRIBUTORS)).isEqualTo(contexts.size());
    }
  }

  @Test
  void link_seal_checkpointCoversEverything() {
    Tracefold tracefold = Tracefold.create(otel.getOpenTelemetry());
    List<String> contexts = contexts(300);
    LinkCollector collector = tracefold.newCollector();
    for (int i = 0; i < contexts.size(); i++) {
      collector.offer(contexts.get(i), null, i, "E");
    }
    Span snapshot = otel.getOpenTelemetry().getTracer("test").spanBuilder("snapshot").startSpan();
    Lineage sealed =
        tracefold.link(snapshot, collector, Lineage.empty(), LinkOptions.builder().setSeal(true).build());
    snapshot.end();

    assertThat(sealed.coveredSequence()).isEqualTo(299);
    assertThat(sealed.contributors()).isEqualTo(300);
    // A later reconstruction from the decoded checkpoint alone reaches everything.
    Lineage decoded = Lineage.decode(sealed.encode());
    assertThat(decoded).isEqualTo(sealed);
    SpanData root = reconstruct(tracefold, tracefold.newCollector(), decoded);
    assertReachesExactly(root, contexts, 128);
  }

  @Test
  void link_lossyPolicies_keepTheirEndAndCountDropped() {
    List<String> contexts = contexts(300);
    for (OverflowPolicy policy : new OverflowPolicy[] {OverflowPolicy.KEEP_FIRST_LOSSY, OverflowPolicy.KEEP_LATEST_LOSSY}) {
      otel.clearSpans();
      LinkLimits limits = LinkLimits.builder().setOverflowPolicy(policy).build();
      Tracefold tracefold = Tracefold.builder(otel.getOpenTelemetry()).setLinkLimits(limits).build();
      LinkCollector collector = tracefold.newCollector();
      for (int i = 0; i < contexts.size(); i++) {
        collector.offer(contexts.get(i), null, i, "E");
      }
      SpanData root = reconstruct(tracefold, collector, Lineage.empty());
      List<String> kept = policy == OverflowPolicy.KEEP_FIRST_LOSSY ? contexts.subList(0, 128) : contexts.subList(172, 300);
      assertThat(ProvenanceGraph.of(otel.getSpans()).reach(root).contributors()).isEqualTo(keys(kept));
      assertThat(root.getAttributes().get(LINKS_DROPPED)).isEqualTo(172);
    }
  }

  @Test
  void link_oneAttributePerLink_keepsTheKindSoTheGraphStaysWalkable() {
    LinkLimits limits = LinkLimits.builder().setMaxAttributesPerLink(1).build();
    Tracefold tracefold = Tracefold.builder(otel.getOpenTelemetry()).setLinkLimits(limits).build();
    List<String> contexts = contexts(1000);
    LinkCollector collector = tracefold.newCollector();
    for (int i = 0; i < contexts.size(); i++) {
      collector.offer(contexts.get(i), null, i, "E");
    }
    SpanData root = reconstruct(tracefold, collector, Lineage.empty());

    assertReachesExactly(root, contexts, 128);
    assertThat(otel.getSpans()).allSatisfy(span -> assertThat(span.getLinks())
        .allSatisfy(link -> assertThat(link.getAttributes().size()).isLessThanOrEqualTo(1)));
  }

  @Test
  void link_spanThatThrows_failsOpenAndCountsTheError() {
    Tracefold tracefold = Tracefold.create(otel.getOpenTelemetry());
    LinkCollector collector = tracefold.newCollector();
    for (String context : contexts(300)) {
      collector.offer(context, null, 0, "E");
    }
    java.util.Map<Object, Object> attributes = new java.util.HashMap<>();
    io.opentelemetry.api.trace.SpanContext context =
        io.opentelemetry.api.trace.SpanContext.create(
            TraceId.fromLongs(1, 2), SpanId.fromLong(3),
            io.opentelemetry.api.trace.TraceFlags.getSampled(), io.opentelemetry.api.trace.TraceState.getDefault());
    Span broken =
        (Span) java.lang.reflect.Proxy.newProxyInstance(
            Span.class.getClassLoader(),
            new Class<?>[] {Span.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "isRecording":
                  return true;
                case "getSpanContext":
                  return context;
                case "addLink":
                  throw new IllegalStateException("exporter bug");
                case "setAttribute":
                  attributes.put(args[0], args[1]);
                  return proxy;
                default:
                  return method.getReturnType().isInstance(proxy) ? proxy : null;
              }
            });
    Lineage checkpoint = Lineage.empty();

    Lineage result = tracefold.link(broken, collector, checkpoint);

    assertThat(result).isSameAs(checkpoint);
    assertThat(attributes).containsEntry(TracefoldAttributes.ERRORS, 1L);
  }

  @Test
  void link_nonRecordingSpan_recordsWithoutEmitting() {
    Tracefold tracefold = Tracefold.create(otel.getOpenTelemetry());
    LinkCollector collector = tracefold.newCollector();
    List<String> contexts = contexts(500);
    for (int i = 0; i < contexts.size(); i++) {
      collector.offer(contexts.get(i), null, i, "E");
    }
    Lineage result = tracefold.link(Span.getInvalid(), collector, Lineage.empty());
    // Recorded (a later sampled span emits nodes for them), but nothing emitted or linked.
    assertThat(result.pending()).hasSize(500);
    assertThat(result.contributors()).isEqualTo(500);
    assertThat(result.coveredSequence()).isEqualTo(499);
    assertThat(otel.getSpans()).isEmpty();
  }

  @Test
  void link_nonRecordingSpanOverPendingLimit_replayableStreamDoesNotAdvance() {
    Tracefold tracefold = Tracefold.create(otel.getOpenTelemetry());
    LinkCollector collector = tracefold.newCollector();
    List<String> contexts = contexts(LinkLimits.DEFAULT_MAX_PENDING_CONTRIBUTORS + 1);
    for (int i = 0; i < contexts.size(); i++) {
      collector.offer(contexts.get(i), null, i, "E");
    }
    LinkOptions replayable = LinkOptions.builder().setReplayable(true).build();
    assertThat(tracefold.link(Span.getInvalid(), collector, Lineage.empty(), replayable)).isSameAs(Lineage.empty());
    // A stream that is not read again keeps the newest and counts the dropped ones.
    Lineage kept = tracefold.link(Span.getInvalid(), collector, Lineage.empty());
    assertThat(kept.pending()).hasSize(LinkLimits.DEFAULT_MAX_PENDING_CONTRIBUTORS);
    assertThat(kept.dropped()).isEqualTo(1);
    assertThat(kept.pending().get(0).sequence()).isEqualTo(1);
  }

  /** Reads a whole stream as a reconstruction does: events under the checkpoint are only counted. */
  private static LinkCollector collectAfter(Tracefold tracefold, List<String> contexts, Lineage checkpoint) {
    LinkCollector collector = tracefold.newCollector();
    for (int seq = 0; seq < contexts.size(); seq++) {
      if (seq <= checkpoint.coveredSequence()) {
        collector.skipCovered(seq);
      } else {
        collector.offer(contexts.get(seq), null, seq, "E");
      }
    }
    return collector;
  }

  private SpanData reconstruct(Tracefold tracefold, LinkCollector collector, Lineage checkpoint) {
    reconstructKeeping(tracefold, collector, checkpoint);
    return last("reconstruct");
  }

  private Lineage reconstructKeeping(Tracefold tracefold, LinkCollector collector, Lineage checkpoint) {
    Span span = otel.getOpenTelemetry().getTracer("test").spanBuilder("reconstruct").startSpan();
    Lineage next = tracefold.link(span, collector, checkpoint);
    span.end();
    return next;
  }

  private SpanData last(String name) {
    List<SpanData> spans = otel.getSpans();
    for (int i = spans.size() - 1; i >= 0; i--) {
      if (spans.get(i).getName().equals(name)) {
        return spans.get(i);
      }
    }
    throw new AssertionError("no span " + name);
  }

  private ProvenanceGraph.Reach assertReachesExactly(SpanData root, List<String> contexts, int budget) {
    ProvenanceGraph graph = ProvenanceGraph.of(otel.getSpans());
    ProvenanceGraph.Reach reach = graph.reach(root);
    assertThat(reach.dangling()).isEmpty();
    assertThat(reach.contributors()).isEqualTo(keys(contexts));
    assertThat(graph.maxLinksPerSpan()).isLessThanOrEqualTo(budget);
    assertThat(graph.spansWithDroppedLinks()).isEmpty();
    return reach;
  }

  private static Set<String> keys(List<String> traceparents) {
    Set<String> keys = new LinkedHashSet<>();
    for (String traceparent : traceparents) {
      keys.add(traceparent.substring(3, 35) + '/' + traceparent.substring(36, 52));
    }
    return keys;
  }

  private List<String> contexts(int n) {
    List<String> contexts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String traceId = TraceId.fromLongs(random.nextLong(), random.nextLong() | 1);
      String spanId = SpanId.fromLong(random.nextLong() | 1);
      contexts.add("00-" + traceId + "-" + spanId + "-01");
    }
    return contexts;
  }
}
