package io.tracefold.core;

import static io.tracefold.core.TracefoldAttributes.CONTRIBUTORS;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
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

class LineageAppendTest {

  @RegisterExtension static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

  private final SplittableRandom random = new SplittableRandom(7);

  @Test
  void append_500UpdatesThroughEncodedStorage_everyUpdateReachesAllWithBoundedWork() {
    Tracefold tracefold = Tracefold.create(otel.getOpenTelemetry());
    List<String> events = new ArrayList<>();
    String stored = "";
    int maxSpansPerUpdate = 0;
    int maxLinksPerUpdate = 0;
    for (int seq = 0; seq < 500; seq++) {
      String event = context();
      events.add(event);
      LinkCollector collector = tracefold.newCollector();
      collector.offer(event, null, seq, "ItemAdded");
      int before = otel.getSpans().size();

      Span span = otel.getOpenTelemetry().getTracer("test").spanBuilder("update").setNoParent().startSpan();
      Lineage next =
          tracefold.link(span, collector, Lineage.decode(stored));
      span.end();
      stored = next.encode();

      List<SpanData> spans = otel.getSpans();
      SpanData update = spans.get(spans.size() - 1);
      maxSpansPerUpdate = Math.max(maxSpansPerUpdate, spans.size() - before);
      maxLinksPerUpdate = Math.max(maxLinksPerUpdate, update.getLinks().size());
      if (seq % 50 == 49 || seq < 3 || seq == 127 || seq == 128) {
        ProvenanceGraph graph = ProvenanceGraph.of(spans);
        ProvenanceGraph.Reach reach = graph.reach(update);
        assertThat(reach.dangling()).isEmpty();
        assertThat(reach.contributors()).isEqualTo(keys(events));
        assertThat(reach.maxHops()).isLessThanOrEqualTo(3);
        assertThat(graph.maxLinksPerSpan()).isLessThanOrEqualTo(128);
        assertThat(update.getAttributes().get(CONTRIBUTORS)).isEqualTo(seq + 1);
        // The update's own event is always a direct link.
        assertThat(update.getLinks()).anySatisfy(l -> assertThat(ProvenanceGraph.key(l.getSpanContext()))
            .isEqualTo(keys(List.of(event)).iterator().next()));
      }
    }
    // Per-update work does not grow with history: a couple of spans, at most the budget of links.
    assertThat(maxSpansPerUpdate).isLessThanOrEqualTo(3);
    assertThat(maxLinksPerUpdate).isLessThanOrEqualTo(128);
    assertThat(Lineage.decode(stored).pending()).hasSizeLessThan(128);
  }

  @Test
  void append_batchOfManyEvents_reachesAllWithinBudget() {
    Tracefold tracefold = Tracefold.create(otel.getOpenTelemetry());
    List<String> events = new ArrayList<>();
    LinkCollector collector = tracefold.newCollector();
    for (int seq = 0; seq < 300; seq++) {
      events.add(context());
      collector.offer(events.get(seq), null, seq, "E");
    }
    Span span = otel.getOpenTelemetry().getTracer("test").spanBuilder("batch").setNoParent().startSpan();
    Lineage next = tracefold.link(span, collector, Lineage.empty());
    span.end();

    List<SpanData> spans = otel.getSpans();
    ProvenanceGraph.Reach reach = ProvenanceGraph.of(spans).reach(spans.get(spans.size() - 1));
    assertThat(reach.contributors()).isEqualTo(keys(events));
    assertThat(ProvenanceGraph.of(spans).maxLinksPerSpan()).isLessThanOrEqualTo(128);
    assertThat(next.contributors()).isEqualTo(300);
    assertThat(next.pending()).hasSize(300 - 256);

    // What a provenance reader gets: the peaks are the exported lineage spans the batch span links
    // (in link order), the pending contexts the events under none of them, oldest first.
    Set<String> lineageSpans = new LinkedHashSet<>();
    spans.stream().filter(s -> s.getName().equals("tracefold.lineage")).forEach(s -> lineageSpans.add(s.getSpanId()));
    List<String> linkedLineage = new ArrayList<>();
    spans.get(spans.size() - 1).getLinks().stream().map(l -> l.getSpanContext().getSpanId())
        .filter(lineageSpans::contains).forEach(linkedLineage::add);
    assertThat(next.peakContexts()).extracting(SpanContext::getSpanId).isNotEmpty().containsExactlyElementsOf(linkedLineage);
    assertThat(next.pendingContexts()).extracting(SpanContext::getSpanId)
        .containsExactlyElementsOf(events.subList(256, 300).stream().map(e -> e.substring(36, 52)).toList());
    assertThat(next.pendingContexts()).allMatch(SpanContext::isSampled);
  }

  @Test
  void encode_pendingContributors_roundTrip() {
    Tracefold tracefold = Tracefold.create(otel.getOpenTelemetry());
    LinkCollector collector = tracefold.newCollector();
    collector.offer(context(), null, 4, "OrderPlaced");
    collector.offer(context(), null, 5, null);
    Span span = otel.getOpenTelemetry().getTracer("test").spanBuilder("u").startSpan();
    Lineage lineage = tracefold.link(span, collector, Lineage.empty());
    span.end();
    assertThat(lineage.pending()).hasSize(2);
    assertThat(Lineage.decode(lineage.encode())).isEqualTo(lineage);
  }

  private static Set<String> keys(List<String> traceparents) {
    Set<String> keys = new LinkedHashSet<>();
    for (String traceparent : traceparents) {
      keys.add(traceparent.substring(3, 35) + '/' + traceparent.substring(36, 52));
    }
    return keys;
  }

  private String context() {
    return "00-" + TraceId.fromLongs(random.nextLong(), random.nextLong() | 1) + "-"
        + SpanId.fromLong(random.nextLong() | 1) + "-01";
  }
}
