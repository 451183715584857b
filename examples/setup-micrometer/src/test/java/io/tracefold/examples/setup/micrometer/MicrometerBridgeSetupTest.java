package io.tracefold.examples.setup.micrometer;

import static io.tracefold.examples.setup.testkit.ProvenanceChecks.EVENT_SPAN;
import static io.tracefold.examples.setup.testkit.ShopClient.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tracefold.examples.setup.testkit.ProvenanceChecks;
import io.tracefold.examples.setup.testkit.ShopClient;
import io.tracefold.examples.setup.testkit.ShopWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The shop run as a user runs it with Micrometer Tracing's OpenTelemetry bridge: Spring Boot's own
 * SDK (its sampler, its batch span processor) with one more {@code SpanExporter} bean, as a user
 * adds an exporter, capturing in memory what would be exported. Client calls are Micrometer
 * observations, as an HTTP server observation would start them.
 *
 * <p>The nested bean classes are handed to the application as sources and are not
 * {@code @Configuration}s, so the application's component scan never picks them up elsewhere.
 */
class MicrometerBridgeSetupTest {

  @Test
  void samplingProbability1_everyRehydrationAndUpdateReachesExactlyItsEventSpans() {
    try (ConfigurableApplicationContext context = start("management.tracing.sampling.probability=1.0")) {
      ShopClient client = client(context);
      ProvenanceChecks.runWorkloadAllSampled(client);
      // What Spring Boot 3.5.7 users get: the OpenTelemetry Boot manages, not the 1.68.0 Tracefold is
      // built on (this module imports Boot's BOM first, as users do).
      assertThat(client.sdkVersion()).isEqualTo("1.49.0");

      // The bridge: each event span is in the trace of the Micrometer observation that sent its
      // command, a root span of Spring Boot's SDK.
      ProvenanceChecks.assertEventSpansInClientTraces(client.spans());
      int stored = ShopWorkload.carts().stream().mapToInt(c -> client.events(c).size()).sum();
      assertThat(client.spans()).filteredOn(s -> s.getName().startsWith(EVENT_SPAN)).hasSize(stored);
    }
  }

  @Test
  void bootDefaultSampling_sampledReconstructionsReachEveryExportedEventSpan_unsampledExportNothing() {
    try (ConfigurableApplicationContext context = start()) {
      // Nothing in the application sets a probability: Spring Boot's default of 0.1 applies.
      assertThat(context.getBean(Sampler.class).getDescription())
          .startsWith("ParentBased{root:TraceIdRatioBased{0.100000}");
      ProvenanceChecks.runWorkloadRatioSampled(client(context), 0.1);
    }
  }

  /**
   * Spring Boot builds its SDK whether or not an exporter is configured: without {@code
   * management.otlp.tracing.endpoint} (or another {@code SpanExporter} bean) its batch processor
   * exports to an empty composite, so nothing Tracefold emits leaves the process. Tracefold's
   * start-up check looks for an SDK without span processor only, so it says nothing here.
   */
  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void noExporterConfigured_tracefoldWarnsAtStartUp(CapturedOutput output) {
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(MicrometerShopApplication.class)
        .web(WebApplicationType.NONE).run()) {
      assertThat(context.getBeansOfType(SpanExporter.class)).isEmpty();
      assertThat(output.getOut().lines()
              .filter(line -> line.contains(" WARN ") && line.contains("Tracefold") && line.contains("exporter")))
          .isNotEmpty();
    }
  }

  private static ConfigurableApplicationContext start(String... properties) {
    return new SpringApplicationBuilder(MicrometerShopApplication.class, CaptureSpans.class)
        .web(WebApplicationType.NONE)
        // Boot's batch span processor drops spans beyond its queue (2,048 by default); the test
        // must see every exported span, so the queue holds the whole run.
        .properties("management.tracing.opentelemetry.export.max-queue-size=100000")
        .run(arguments(properties));
  }

  private static ShopClient client(ConfigurableApplicationContext context) {
    // Tracefold emits through the SDK Spring Boot built for Micrometer's bridge (the only
    // OpenTelemetry bean); client calls are observations, as an HTTP server observation would be.
    ObservationRegistry registry = context.getBean(ObservationRegistry.class);
    return ShopClient.inMemory(context, (name, action) -> Observation.createNotStarted(name, registry).observe(action));
  }

  /** An exporter as a user adds one: Spring Boot puts every {@code SpanExporter} bean in its SDK. */
  static class CaptureSpans {
    @Bean
    InMemorySpanExporter inMemorySpanExporter() {
      return InMemorySpanExporter.create();
    }
  }
}
