package io.tracefold.examples.setup.otelstarter;

import static io.tracefold.examples.setup.testkit.ShopClient.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracefold.examples.setup.testkit.ProvenanceChecks;
import io.tracefold.examples.setup.testkit.ShopClient;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The shop run as a user runs it with the OpenTelemetry Spring Boot starter: the starter's SDK,
 * configured by the application's {@code otel.*} properties (sampler {@code
 * parentbased_traceidratio}), with the OTLP exporter switched off and a span processor added the
 * way the starter's docs show ({@code AutoConfigurationCustomizerProvider} bean), capturing in
 * memory.
 *
 * <p>The nested bean classes are handed to the application as sources and are not
 * {@code @Configuration}s, so the application's component scan never picks them up elsewhere.
 */
class OtelStarterSetupTest {

  @Test
  void ratio1_everyRehydrationAndUpdateReachesExactlyItsEventSpans() {
    try (ConfigurableApplicationContext context = start()) {
      assertThat(sampler(context)).startsWith("ParentBased{root:TraceIdRatioBased{1.000000}");
      ShopClient client = client(context);
      ProvenanceChecks.runWorkloadAllSampled(client);
      // What the instrumentation BOM 2.31.1, imported before Boot's, gives users (Boot alone: 1.49.0).
      assertThat(client.sdkVersion()).isEqualTo("1.65.0");

      // Command spans join the client's trace, and every span went through the starter's SDK, with
      // its resource.
      List<SpanData> spans = client.spans();
      ProvenanceChecks.assertEventSpansInClientTraces(spans);
      assertThat(spans).allSatisfy(s -> assertThat(
          s.getResource().getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name")))
          .isEqualTo("shop"));
    }
  }

  @Test
  void ratio025_sampledReconstructionsReachEveryExportedEventSpan_unsampledExportNothing() {
    try (ConfigurableApplicationContext context = start("otel.traces.sampler.arg=0.25")) {
      assertThat(sampler(context)).startsWith("ParentBased{root:TraceIdRatioBased{0.250000}");
      ProvenanceChecks.runWorkloadRatioSampled(client(context), 0.25);
    }
  }

  private static ConfigurableApplicationContext start(String... properties) {
    return new SpringApplicationBuilder(OtelStarterShopApplication.class, CaptureSpans.class)
        .web(WebApplicationType.NONE)
        .properties("otel.traces.exporter=none") // no collector in tests: spans are captured in memory
        .run(arguments(properties));
  }

  private static String sampler(ConfigurableApplicationContext context) {
    return ((OpenTelemetrySdk) context.getBean(OpenTelemetry.class)).getSdkTracerProvider().getSampler().getDescription();
  }

  private static ShopClient client(ConfigurableApplicationContext context) {
    // Tracefold emits through the starter's OpenTelemetry bean, the only one.
    return ShopClient.inMemory(context);
  }

  /** Adds a span processor to the starter's SDK, as the starter's documentation shows. */
  static class CaptureSpans {
    @Bean
    InMemorySpanExporter inMemorySpanExporter() {
      return InMemorySpanExporter.create();
    }

    @Bean
    AutoConfigurationCustomizerProvider captureSpans(InMemorySpanExporter exporter) {
      return customizer -> customizer.addTracerProviderCustomizer(
          (tracerProvider, config) -> tracerProvider.addSpanProcessor(SimpleSpanProcessor.create(exporter)));
    }
  }
}
