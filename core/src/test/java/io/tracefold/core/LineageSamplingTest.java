package io.tracefold.core;

import io.tracefold.core.internal.W3CTraceContext;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_UNEXPORTED;
import static io.tracefold.core.TracefoldAttributes.LINKS_UNLINKED;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tracefold.core.testing.ProvenanceGraph;
import io.tracefold.core.testing.Samplers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The lineage under production samplers: head sampling by trace-id ratio, and a sampler that drops
 * Tracefold's lineage spans by name. Recording never depends on sampling; lineage never references
 * a span that was not exported.
 */
class LineageSamplingTest {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private OpenTelemetrySdk sdk;

  @AfterEach
  void close() {
    if (sdk != null) {
      sdk.close();
    }
  }

  private Tracer start(Sampler sampler) {
    sdk = OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder().setSampler(sampler).addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .build();
    return sdk.getTracer("test");
  }

  @Test
  void link_samplerDropsLineageSpans_nothingDanglesAndUnlinkedCounted() {
    Tracer tracer = start(Samplers.droppingByName(TracefoldAttributes.LINEAGE_SPAN_NAME));
    Tracefold tracefold = Tracefold.create(sdk);
    List<String> events = eventSpans(tracer, 300);
    LinkCollector collector = tracefold.newCollector();
    for (int i = 0; i < events.size(); i++) {
      collector.offer(events.get(i), null, i, "E");
    }
    Span load = tracer.spanBuilder("load").setNoParent().startSpan();
    Lineage state = tracefold.link(load, collector, Lineage.empty(), LinkOptions.builder().setReplayable(true).build());
    load.end();

    SpanData span = last("load");
    ProvenanceGraph.Reach reach = ProvenanceGraph.of(exporter.getFinishedSpanItems()).reach(span);
    assertThat(reach.dangling()).isEmpty();
    assertThat(reach.contributors()).hasSize(128).isSubsetOf(keys(events));
    assertThat(span.getAttributes().get(LINKS_UNLINKED)).isEqualTo(300 - 128);
    assertThat(span.getAttributes().get(LINEAGE_UNEXPORTED)).isPositive();
    // Nothing under an unexported node: everything stays recorded for a span that can emit.
    assertThat(state.peaks()).isEmpty();
    assertThat(state.pending()).hasSize(300);
    assertThat(Lineage.decode(state.encode()).pending()).hasSize(300);
  }

  @Test
  void link_ratioSampledUpdatesThroughStorage_lastSampledUpdateReachesEveryExportedEvent() {
    Tracer tracer = start(Sampler.parentBased(Sampler.traceIdRatioBased(0.3)));
    Tracefold tracefold = Tracefold.create(sdk);
    List<String> events = new ArrayList<>();
    String stored = "";
    SpanData lastSampled = null;
    int eventsThen = 0;
    for (int seq = 0; seq < 700; seq++) {
      String event = eventSpans(tracer, 1).get(0);
      events.add(event);
      LinkCollector collector = tracefold.newCollector();
      collector.offer(event, null, seq, "E");
      Span update = tracer.spanBuilder("update").setNoParent().startSpan();
      stored = tracefold.link(update, collector, Lineage.decode(stored)).encode();
      update.end();
      if (update.getSpanContext().isSampled()) {
        lastSampled = last("update");
        eventsThen = events.size();
      }
    }
    Lineage state = Lineage.decode(stored);
    assertThat(state.contributors()).isEqualTo(700);
    assertThat(state.dropped()).isZero();

    Set<String> exported = exportedEventKeys();
    assertThat(exported).isNotEmpty().hasSizeLessThan(700);
    Set<String> exportedThen = new LinkedHashSet<>(keys(events.subList(0, eventsThen)));
    exportedThen.retainAll(exported);
    ProvenanceGraph.Reach reach = ProvenanceGraph.of(exporter.getFinishedSpanItems()).reach(lastSampled);
    assertThat(reach.dangling()).isEmpty();
    // Every exported event span is reached; links to unsampled events' contexts are allowed.
    assertThat(reach.contributors()).hasSize(eventsThen).containsAll(exportedThen).isSubsetOf(keys(events));
    assertThat(reach.maxHops()).isLessThanOrEqualTo(3);
  }

  @Test
  void link_ratioSampledReplayableLoads_lastSampledLoadReachesEveryExportedEvent() {
    Tracer tracer = start(Sampler.parentBased(Sampler.traceIdRatioBased(0.3)));
    Tracefold tracefold = Tracefold.create(sdk);
    LinkOptions replayable = LinkOptions.builder().setReplayable(true).build();
    List<String> events = new ArrayList<>();
    Lineage state = Lineage.empty();
    SpanData lastSampled = null;
    for (int command = 0; command < 60; command++) {
      events.addAll(eventSpans(tracer, 10));
      LinkCollector collector = tracefold.newCollector();
      for (int seq = 0; seq < events.size(); seq++) {
        if (seq <= state.coveredSequence()) {
          collector.skipCovered(seq);
        } else {
          collector.offer(events.get(seq), null, seq, "E");
        }
      }
      Span load = tracer.spanBuilder("load").setNoParent().startSpan();
      state = tracefold.link(load, collector, state, replayable);
      load.end();
      if (load.getSpanContext().isSampled()) {
        lastSampled = last("load");
      }
    }
    assertThat(state.coveredSequence()).isEqualTo(599);
    ProvenanceGraph.Reach reach = ProvenanceGraph.of(exporter.getFinishedSpanItems()).reach(lastSampled);
    assertThat(reach.dangling()).isEmpty();
    Set<String> exported = exportedEventKeys();
    // The last sampled load happened before the last few commands: it reaches what existed then.
    long reachable = lastSampled.getAttributes().get(TracefoldAttributes.CONTRIBUTORS);
    assertThat(reach.contributors()).hasSize((int) reachable).isSubsetOf(keys(events));
    Set<String> exportedThen = new LinkedHashSet<>(keys(events.subList(0, (int) reachable)));
    exportedThen.retainAll(exported);
    assertThat(reach.contributors()).containsAll(exportedThen);
  }

  private List<String> eventSpans(Tracer tracer, int n) {
    List<String> traceparents = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Span event = tracer.spanBuilder("event").setNoParent().startSpan();
      event.end();
      traceparents.add(W3CTraceContext.formatTraceparent(event.getSpanContext()));
    }
    return traceparents;
  }

  private Set<String> exportedEventKeys() {
    Set<String> keys = new LinkedHashSet<>();
    for (SpanData span : exporter.getFinishedSpanItems()) {
      if (span.getName().equals("event")) {
        keys.add(ProvenanceGraph.key(span.getSpanContext()));
      }
    }
    return keys;
  }

  private SpanData last(String name) {
    List<SpanData> spans = exporter.getFinishedSpanItems();
    for (int i = spans.size() - 1; i >= 0; i--) {
      if (spans.get(i).getName().equals(name)) {
        return spans.get(i);
      }
    }
    throw new AssertionError("no span " + name);
  }

  private static Set<String> keys(List<String> traceparents) {
    Set<String> keys = new LinkedHashSet<>();
    for (String traceparent : traceparents) {
      keys.add(traceparent.substring(3, 35) + '/' + traceparent.substring(36, 52));
    }
    return keys;
  }
}
