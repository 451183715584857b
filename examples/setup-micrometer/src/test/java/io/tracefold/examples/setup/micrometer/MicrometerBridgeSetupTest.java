package io.tracefold.examples.setup.micrometer;

import static io.tracefold.examples.setup.testkit.ProvenanceChecks.EVENT_SPAN;
import static io.tracefold.examples.setup.testkit.ProvenanceChecks.REHYDRATION;
import static io.tracefold.examples.setup.testkit.ProvenanceChecks.UPDATE;
import static io.tracefold.examples.setup.testkit.ProvenanceChecks.assertEachReachesItsEvents;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tracefold.axon.AxonTracefold;
import io.tracefold.core.TracefoldAttributes;
import io.tracefold.core.testing.ProvenanceGraph;
import io.tracefold.examples.setup.testkit.ProvenanceChecks;
import io.tracefold.examples.setup.testkit.ShopClient;
import io.tracefold.examples.setup.testkit.ShopWorkload;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The shop run as a user runs it with Micrometer Tracing's OpenTelemetry bridge: Spring Boot's own
 * SDK (its sampler, its batch span processor) with one more {@code SpanExporter} bean, as a user
 * adds an exporter, capturing in memory what would be exported. Client calls are Micrometer
 * observations, as an HTTP server observation would start them.
 */
class MicrometerBridgeSetupTest {

  @Test
  void samplingProbability1_everyRehydrationAndUpdateReachesExactlyItsEventSpans() {
    try (ConfigurableApplicationContext context = start("management.tracing.sampling.probability=1.0")) {
      ShopClient client = client(context);
      ShopWorkload.run(client);

      for (String cart : ShopWorkload.carts()) {
        List<String> events = client.eventSpanKeys(cart);
        client.awaitSpan(UPDATE, cart, events.size());
        List<SpanData> spans = client.spans();
        Set<String> exported = spans.stream().map(s -> ProvenanceGraph.key(s.getSpanContext())).collect(Collectors.toSet());
        assertThat(exported).as("every event span of %s exported", cart).containsAll(events);
        assertThat(assertEachReachesItsEvents(spans, REHYDRATION, cart, events))
            .hasSize(ShopWorkload.rehydrations(cart));
        assertThat(assertEachReachesItsEvents(spans, UPDATE, cart, events)).hasSize(events.size());
      }
      // The long history is reached through lineage spans (the 128-link budget is crossed).
      SpanData last = client.awaitSpan(REHYDRATION, ShopWorkload.BIG, ShopWorkload.BIG_COMMANDS + 1);
      ProvenanceGraph.Reach reach = ProvenanceGraph.of(client.spans()).reach(last);
      assertThat(reach.contributors()).hasSize(ShopWorkload.BIG_COMMANDS + 1);
      assertThat(reach.intermediateSpans()).isNotEmpty();
      assertThat(reach.maxHops()).isGreaterThanOrEqualTo(2);

      // The bridge: each event span is in the trace of the Micrometer observation that sent its
      // command, a root span of Spring Boot's SDK.
      List<SpanData> spans = client.spans();
      Set<String> observationTraces = spans.stream()
          .filter(s -> s.getName().equals("shop.send") && !s.getParentSpanContext().isValid())
          .map(SpanData::getTraceId).collect(Collectors.toSet());
      List<SpanData> eventSpans = spans.stream().filter(s -> s.getName().startsWith(EVENT_SPAN)).toList();
      int stored = ShopWorkload.carts().stream().mapToInt(c -> client.events(c).size()).sum();
      assertThat(eventSpans).hasSize(stored)
          .allSatisfy(s -> assertThat(observationTraces).contains(s.getTraceId()));
    }
  }

  @Test
  void bootDefaultSampling_sampledReconstructionsReachEveryExportedEventSpan_unsampledExportNothing() {
    try (ConfigurableApplicationContext context = start()) {
      assertThat(context.getBean(Sampler.class).getDescription())
          .isEqualTo("ParentBased{root:TraceIdRatioBased{0.100000},remoteParentSampled:AlwaysOnSampler,"
              + "remoteParentNotSampled:AlwaysOffSampler,localParentSampled:AlwaysOnSampler,"
              + "localParentNotSampled:AlwaysOffSampler}");
      ShopClient client = client(context);
      ShopWorkload.run(client); // nothing breaks: every command, load and read-model update succeeds

      String big = ShopWorkload.BIG;
      int events = ShopWorkload.BIG_COMMANDS + 1;
      // A load whose trace is sampled (each load has a 10% chance; 500 tries fail with 1e-23).
      int before = client.spans(REHYDRATION, big).size();
      int loads = 0;
      while (client.spans(REHYDRATION, big).size() == before && loads < 500) {
        assertThat(client.load(big)).isEqualTo(ShopWorkload.BIG_COMMANDS);
        loads++;
      }
      List<SpanData> rehydrations = client.spans(REHYDRATION, big);
      assertThat(rehydrations).as("a sampled load in %s tries", loads).hasSizeGreaterThan(before);
      SpanData sampled = rehydrations.get(rehydrations.size() - 1);
      // Recorded whatever the sampling: the load knows all events, though most of their traces
      // (and most loads before it) were not sampled.
      assertThat(sampled.getAttributes().get(TracefoldAttributes.CONTRIBUTORS)).isEqualTo(events);
      assertThat(sampled.getAttributes().get(TracefoldAttributes.CONTEXTS_UNSAMPLED)).isPositive();

      List<SpanData> spans = client.spans();
      List<String> eventKeys = client.eventSpanKeys(big);
      Set<String> exported = spans.stream().map(s -> ProvenanceGraph.key(s.getSpanContext())).collect(Collectors.toSet());
      long exportedEvents = eventKeys.stream().filter(exported::contains).count();
      assertThat(exportedEvents).as("some event spans sampled, most not").isBetween(1L, events - 1L);
      // Every exported rehydration, the sampled load included, reaches every exported event span
      // of its history; the unsampled ones exported nothing at all.
      List<SpanData> checked = assertEachReachesItsEvents(spans, REHYDRATION, big, eventKeys);
      assertThat(checked).hasSizeBetween(1, ShopWorkload.rehydrations(big) + loads - 1);
      assertThat(ProvenanceGraph.of(spans).reach(sampled).intermediateSpans()).isNotEmpty();
      assertThat(assertEachReachesItsEvents(spans, UPDATE, big, eventKeys))
          .hasSizeBetween(1, events - 1);
      for (String cart : ShopWorkload.SMALL) {
        assertEachReachesItsEvents(spans, REHYDRATION, cart, client.eventSpanKeys(cart));
        assertEachReachesItsEvents(spans, UPDATE, cart, client.eventSpanKeys(cart));
      }
      ProvenanceChecks.assertLineageOnlyUnderExportedReconstructions(spans);
    }
  }

  private static ConfigurableApplicationContext start(String... properties) {
    return new SpringApplicationBuilder(MicrometerShopApplication.class, CaptureSpans.class)
        .web(WebApplicationType.NONE)
        // Boot's batch span processor drops spans beyond its queue (2,048 by default); the test
        // must see every exported span, so the queue holds the whole run.
        .properties("management.tracing.opentelemetry.export.max-queue-size=100000")
        .properties(properties)
        .run();
  }

  private static ShopClient client(ConfigurableApplicationContext context) {
    // Tracefold emits through the SDK Spring Boot built for Micrometer's bridge.
    assertThat(context.getBeansOfType(OpenTelemetry.class)).hasSize(1);
    assertThat(context.getBean(AxonTracefold.class)).isNotNull();
    ObservationRegistry registry = context.getBean(ObservationRegistry.class);
    SdkTracerProvider tracerProvider = context.getBean(SdkTracerProvider.class);
    InMemorySpanExporter exporter = context.getBean(InMemorySpanExporter.class);
    return new ShopClient(
        context,
        (name, action) -> Observation.createNotStarted(name, registry).observe(action),
        () -> {
          tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
          return exporter.getFinishedSpanItems();
        });
  }

  /** An exporter as a user adds one: Spring Boot puts every {@code SpanExporter} bean in its SDK. */
  @Configuration(proxyBeanMethods = false)
  static class CaptureSpans {
    @Bean
    InMemorySpanExporter inMemorySpanExporter() {
      return InMemorySpanExporter.create();
    }
  }
}
