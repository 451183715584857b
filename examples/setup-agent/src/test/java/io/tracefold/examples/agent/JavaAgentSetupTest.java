package io.tracefold.examples.agent;

import static io.tracefold.core.TracefoldAttributes.CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.ENTITY_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tracefold.core.testing.ProvenanceGraph;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The OpenTelemetry Java agent as a tested set-up: the application (Spring Boot, Axon's starter,
 * tracefold-axon, no OpenTelemetry bean) runs in a child JVM with {@code -javaagent:} and the
 * agent's {@code logging-otlp} exporter; the provenance invariant is checked on the spans the agent
 * exported, read back from its OTLP JSON.
 */
class JavaAgentSetupTest {

  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration EXPORT = Duration.ofSeconds(30);
  private static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void agentWithoutBean_rehydrationAndProjectionOf141EventsReachExactlyTheirEventSpans() throws Exception {
    try (ChildApplication app = ChildApplication.start("agent", false, START)) {
      assertThat(app.output())
          .as("the INFO line naming the instance")
          .containsPattern("Tracefold emits through the OpenTelemetry Java agent's instance \\(GlobalOpenTelemetry\\)"
              + " \\(io\\.opentelemetry\\.javaagent\\.[^)]+\\)\\n")
          .doesNotContain("exports nothing");

      int items = 140; // 141 events: more than the 128 links a span keeps, so lineage spans carry the rest
      app.post("/carts/c-1");
      for (int i = 0; i < items; i++) {
        app.post("/carts/c-1/items/sku-" + i);
      }
      assertThat(app.getInt("/carts/c-1/items")).isEqualTo(items);
      app.awaitInt("/carts/c-1/summary", n -> n == items, EXPORT);
      Set<String> events = eventSpanKeys(app.getList("/carts/c-1/traceparents"));
      assertThat(events).hasSize(items + 1);

      List<SpanData> spans = app.awaitSpans(
          all -> exported(all, events) && load(all) != null && updates(all, "c-1").size() == events.size(),
          "the load, the last projection update and every event span", EXPORT);
      ProvenanceGraph graph = ProvenanceGraph.of(spans);
      assertThat(graph.spansWithDroppedLinks()).isEmpty();
      assertThat(graph.maxLinksPerSpan()).isLessThanOrEqualTo(128);

      // The event spans are Axon's publish spans, in the traces of the agent's HTTP server spans.
      Set<String> requestTraces = new LinkedHashSet<>();
      for (SpanData span : spans) {
        if (span.getKind() == SpanKind.SERVER && String.valueOf(span.getAttributes().get(HTTP_ROUTE)).startsWith("/carts")) {
          requestTraces.add(span.getTraceId());
        }
      }
      for (String event : events) {
        SpanData span = find(spans, s -> ProvenanceGraph.key(s.getSpanContext()).equals(event));
        assertThat(span.getName()).startsWith("EventBus.publishEvent");
        assertThat(requestTraces).as("trace of " + span.getName()).contains(span.getTraceId());
      }

      // The load's rehydration (in the trace of GET /carts/{cartId}/items) reaches exactly the 141.
      SpanData rehydration = load(spans);
      assertThat(rehydration.getAttributes().get(ENTITY_ID)).isEqualTo("c-1");
      ProvenanceGraph.Reach reach = graph.reach(rehydration);
      assertThat(reach.dangling()).isEmpty();
      assertThat(reach.contributors()).isEqualTo(events);
      assertThat(reach.intermediateSpans()).as("tracefold.lineage spans passed through").isNotEmpty();
      for (String lineage : reach.intermediateSpans()) {
        assertThat(find(spans, s -> ProvenanceGraph.key(s.getSpanContext()).equals(lineage)).getName())
            .isEqualTo("tracefold.lineage");
      }

      // The read model's last update reaches exactly the same events.
      assertThat(updates(spans, "c-1").get(events.size() - 1).getAttributes().get(CONTRIBUTORS)).isEqualTo(141L);
      ProvenanceGraph.Reach projection = graph.reach(updates(spans, "c-1").get(events.size() - 1));
      assertThat(projection.dangling()).isEmpty();
      assertThat(projection.contributors()).isEqualTo(events);
    }
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void agentWithActuatorAndSdkOnClassPath_usesTheAgentNotBootsExporterLessBean() throws Exception {
    try (ChildApplication app = ChildApplication.start("agent-actuator", true, START)) {
      assertThat(app.output()).contains("Tracefold emits through the OpenTelemetry Java agent's instance"
          + " (GlobalOpenTelemetry) instead of Spring Boot's auto-configured bean 'openTelemetry' (declared by"
          + " org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration),"
          + " which exports nothing");
      app.post("/carts/c-2");
      for (int i = 0; i < 3; i++) {
        app.post("/carts/c-2/items/sku-" + i);
      }
      assertThat(app.getInt("/carts/c-2/items")).isEqualTo(3);
      Set<String> events = eventSpanKeys(app.getList("/carts/c-2/traceparents"));
      assertThat(events).hasSize(4);
      List<SpanData> spans = app.awaitSpans(all -> exported(all, events) && load(all) != null,
          "the load and every event span", EXPORT);
      ProvenanceGraph.Reach reach = ProvenanceGraph.of(spans).reach(load(spans));
      assertThat(reach.dangling()).isEmpty();
      assertThat(reach.contributors()).isEqualTo(events);
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void noAgentAndNoBean_failsToStartWithTracefoldsExplanationInSpringBootsReport() throws Exception {
    String output = ChildApplication.runWithoutAgent("no-agent", START);
    // Spring Boot's failure report, written by TracefoldFailureAnalyzer, not Spring's generic box.
    assertThat(output)
        .contains("APPLICATION FAILED TO START")
        .contains("Tracefold (tracefold-axon) is enabled but has no io.opentelemetry.api.OpenTelemetry")
        .contains("-javaagent:opentelemetry-javaagent.jar", "opentelemetry-spring-boot-starter",
            "micrometer-tracing-bridge-otel", "@Bean OpenTelemetrySdk", "tracefold.enabled=false")
        .doesNotContain("required a bean of type 'io.opentelemetry.api.OpenTelemetry'");
  }

  /** Returns the graph keys of the spans the stored {@code traceparent}s name. */
  private static Set<String> eventSpanKeys(List<String> traceparents) {
    Set<String> keys = new LinkedHashSet<>();
    for (String traceparent : traceparents) {
      String[] parts = traceparent.split("-");
      assertThat(parts).as("stored traceparent '" + traceparent + "'").hasSize(4);
      keys.add(parts[1] + '/' + parts[2]);
    }
    return keys;
  }

  private static boolean exported(List<SpanData> spans, Set<String> keys) {
    Set<String> missing = new LinkedHashSet<>(keys);
    for (SpanData span : spans) {
      missing.remove(ProvenanceGraph.key(span.getSpanContext()));
    }
    return missing.isEmpty();
  }

  /** Returns the rehydration span in the trace of the request GET /carts/{cartId}/items, or null. */
  private static SpanData load(List<SpanData> spans) {
    String trace = null;
    for (SpanData span : spans) {
      if (span.getKind() == SpanKind.SERVER && "/carts/{cartId}/items".equals(span.getAttributes().get(HTTP_ROUTE))
          && span.getName().startsWith("GET")) {
        trace = span.getTraceId();
      }
    }
    for (SpanData span : spans) {
      if (span.getTraceId().equals(trace) && span.getName().startsWith("Repository.initializeState")) {
        return span;
      }
    }
    return null;
  }

  /** Returns the projection updates of entity {@code id}, oldest first (one per event). */
  private static List<SpanData> updates(List<SpanData> spans, String id) {
    List<SpanData> updates = new ArrayList<>();
    for (SpanData span : spans) {
      if (span.getName().startsWith("Projection.update(") && id.equals(span.getAttributes().get(ENTITY_ID))) {
        updates.add(span);
      }
    }
    updates.sort(Comparator.comparingLong(SpanData::getStartEpochNanos));
    return updates;
  }

  private static SpanData find(List<SpanData> spans, Predicate<SpanData> filter) {
    for (SpanData span : spans) {
      if (filter.test(span)) {
        return span;
      }
    }
    throw new AssertionError("no such span among " + spans.size());
  }
}
