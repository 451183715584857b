package io.tracefold.examples.setup.axontracing;

import static io.tracefold.examples.setup.testkit.ShopClient.arguments;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracefold.axon.AxonTracefold;
import io.tracefold.examples.setup.testkit.ProvenanceChecks;
import io.tracefold.examples.setup.testkit.ShopClient;
import io.tracefold.examples.setup.testkit.ShopWorkload;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.tracing.SpanFactory;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Tracefold added to an application that has Axon's own {@code axon-tracing-opentelemetry} and an
 * OpenTelemetry SDK bean. What happens, defined: Tracefold's span factory is the application's
 * {@code SpanFactory} (Axon's OpenTelemetry auto-configuration backs off); a {@code SpanFactory}
 * bean the application declared itself is kept, and Tracefold's reconstruction spans link the
 * spans it makes. Either way each event carries exactly one trace context, Axon's handler spans
 * stay, and every reconstruction reaches exactly its events.
 *
 * <p>The nested bean classes are handed to the application as sources and are not
 * {@code @Configuration}s, so the application's component scan never picks them up elsewhere.
 */
class AxonTracingCoexistenceSetupTest {

  /** Axon's auto-configuration of its OpenTelemetry span factory. */
  private static final String AXON_OTEL_AUTO_CONFIGURATION =
      "org.axonframework.springboot.autoconfig.OpenTelemetryAutoConfiguration";

  @Test
  void axonTracingOnTheClassPath_tracefoldsSpanFactoryServes_axonsBacksOffForEveryBean() {
    try (ConfigurableApplicationContext context = start(new Class<?>[0])) {
      // Tracefold's auto-configuration runs before Axon's OpenTelemetry one, whose every bean backs off.
      assertThat(context.getBeansOfType(SpanFactory.class))
          .containsOnlyKeys("spanFactory")
          .containsValue(context.getBean(AxonTracefold.class).spanFactory());
      assertThat(context.getBeansOfType(OpenTelemetrySpanFactory.class)).isEmpty();
      Map<String, ConditionEvaluationReport.ConditionAndOutcomes> outcomes =
          ConditionEvaluationReport.get(context.getBeanFactory()).getConditionAndOutcomesBySource();
      assertThat(outcomes).as("Axon's OpenTelemetry auto-configuration is on the class path")
          .containsKey(AXON_OTEL_AUTO_CONFIGURATION);
      List<String> axonBeans = outcomes.keySet().stream()
          .filter(source -> source.startsWith(AXON_OTEL_AUTO_CONFIGURATION + "#")).toList();
      assertThat(axonBeans).isNotEmpty().allSatisfy(bean ->
          assertThat(outcomes.get(bean).isFullMatch()).as("%s backs off", bean).isFalse());

      ShopClient client = client(context);
      ProvenanceChecks.runWorkloadAllSampled(client);
      assertThat(client.sdkVersion()).as("Spring Boot 3.5.7's OpenTelemetry").isEqualTo("1.49.0");
      assertOneTraceContextPerEvent(client);
      assertAxonHandlerSpans(client.spans());
      // Every span comes from the application's OpenTelemetry bean: Tracefold's or the client's.
      assertThat(client.spans()).extracting(s -> s.getInstrumentationScopeInfo().getName())
          .containsOnly("io.tracefold", "shop-client");
    }
  }

  @Test
  void applicationsOwnAxonOpenTelemetrySpanFactoryBean_isKept_tracefoldLinksItsSpans() {
    try (ConfigurableApplicationContext context = start(new Class<?>[] {OwnAxonSpanFactory.class})) {
      // A SpanFactory bean of the application's own is never replaced: Tracefold's backs off, and
      // Tracefold's repository and processor span factories work on the spans Axon's factory makes.
      assertThat(context.getBeansOfType(SpanFactory.class)).containsOnlyKeys("spanFactory");
      assertThat(context.getBean(SpanFactory.class)).isInstanceOf(OpenTelemetrySpanFactory.class);

      ShopClient client = client(context);
      ProvenanceChecks.runWorkloadAllSampled(client);
      assertOneTraceContextPerEvent(client);
      assertAxonHandlerSpans(client.spans());
      // Command, event and handler spans are Axon's, reconstruction spans link them.
      assertThat(client.spans()).filteredOn(s -> s.getName().startsWith(ProvenanceChecks.EVENT_SPAN))
          .extracting(s -> s.getInstrumentationScopeInfo().getName())
          .containsOnly(OwnAxonSpanFactory.SCOPE);
    }
  }

  /**
   * Axon's reference guide's snippet, {@code OpenTelemetrySpanFactory.builder().build()}, emits
   * through {@code GlobalOpenTelemetry} (a no-op unless something set it): command and Axon handler
   * spans go nowhere, but Tracefold's rehydration spans come from its own span factory whatever the
   * {@code SpanFactory} bean is, events get Tracefold's context from its event-bus fallback, and
   * provenance holds. (Before that, rehydration spans were built with the bean and not one was
   * exported.)
   */
  @Test
  void applicationsSpanFactoryOnGlobalOpenTelemetry_rehydrationsStillReachTheirEvents() {
    try (ConfigurableApplicationContext context = start(new Class<?>[] {GlobalAxonSpanFactory.class})) {
      ShopClient client = client(context);
      ProvenanceChecks.runWorkloadAllSampled(client);
      assertOneTraceContextPerEvent(client);
      assertThat(client.spans()).noneMatch(s -> s.getName().equals("Cart.handle(AddItems)"));
      ProvenanceChecks.assertEventSpansInClientTraces(client.spans());
    }
  }

  @Test
  void ratioSampler_sampledReconstructionsReachEveryExportedEventSpan() {
    try (ConfigurableApplicationContext context =
        start(new Class<?>[0], "shop.tracing.sampling-ratio=0.25")) {
      ShopClient client = client(context);
      ProvenanceChecks.runWorkloadRatioSampled(client, 0.25);
      assertOneTraceContextPerEvent(client);
    }
  }

  /**
   * Asserts that each stored event carries exactly one trace context, a W3C {@code traceparent}
   * of its own, beside Axon's own correlation data ({@code traceId}, {@code correlationId}: message
   * ids, not OpenTelemetry's) and nothing else: no second context under another key, no {@code
   * tracestate} or {@code baggage} nobody asked for.
   */
  private static void assertOneTraceContextPerEvent(ShopClient client) {
    for (String cart : ShopWorkload.carts()) {
      for (DomainEventMessage<?> event : client.events(cart)) {
        assertThat(event.getMetaData().keySet()).as("metadata of %s", event)
            .containsExactlyInAnyOrder("traceparent", "traceId", "correlationId");
      }
      // One publish span per event, never a context shared or overwritten by a second factory.
      assertThat(client.eventSpanKeys(cart)).doesNotHaveDuplicates();
    }
  }

  /**
   * Asserts that Axon's handler spans ({@code AxonTracingAutoConfiguration}'s handler enhancer) are
   * where they belong: command handlers in the command's trace, the projection's event handlers in
   * the processor's own root trace (never in the command's).
   */
  private static void assertAxonHandlerSpans(List<SpanData> spans) {
    Map<String, SpanData> byId = spans.stream().collect(Collectors.toMap(SpanData::getSpanId, s -> s, (a, b) -> a));
    List<SpanData> commandHandlers = spans.stream().filter(s -> s.getName().equals("Cart.handle(AddItems)")).toList();
    List<SpanData> eventHandlers =
        spans.stream().filter(s -> s.getName().equals("CartSummaries.on(ItemAdded)")).toList();
    assertThat(commandHandlers).hasSize(ShopWorkload.BIG_COMMANDS + 2 * ShopWorkload.SMALL.size());
    assertThat(eventHandlers).hasSize(ShopWorkload.BIG_COMMANDS + 4 * ShopWorkload.SMALL.size());
    for (SpanData handler : commandHandlers) {
      assertThat(root(handler, byId).getName()).isEqualTo("shop.send");
    }
    for (SpanData handler : eventHandlers) {
      // Axon's handler span runs between the process span and the traced projection, so the
      // projection does not take the process span over: it keeps its name, and the update is a child.
      assertThat(root(handler, byId).getName()).startsWith("EventProcessor.process");
    }
  }

  private static SpanData root(SpanData span, Map<String, SpanData> byId) {
    SpanData current = span;
    while (current.getParentSpanContext().isValid()) {
      current = byId.get(current.getParentSpanId());
      assertThat(current).as("parent of %s exported", span.getName()).isNotNull();
    }
    return current;
  }

  private static ConfigurableApplicationContext start(Class<?>[] extra, String... properties) {
    Class<?>[] sources = new Class<?>[extra.length + 2];
    sources[0] = AxonTracingShopApplication.class;
    sources[1] = CaptureSpans.class;
    System.arraycopy(extra, 0, sources, 2, extra.length);
    return new SpringApplicationBuilder(sources).web(WebApplicationType.NONE).run(arguments(properties));
  }

  private static ShopClient client(ConfigurableApplicationContext context) {
    return ShopClient.inMemory(context);
  }

  /** An application that declared Axon's OpenTelemetry span factory itself, on its own SDK. */
  static class OwnAxonSpanFactory {
    static final String SCOPE = "AxonFramework-OpenTelemetry";

    @Bean
    SpanFactory spanFactory(OpenTelemetry openTelemetry) {
      return OpenTelemetrySpanFactory.builder()
          .tracer(openTelemetry.getTracer(SCOPE))
          .contextPropagators(openTelemetry.getPropagators().getTextMapPropagator())
          .build();
    }
  }

  /** An application that declared Axon's OpenTelemetry span factory as Axon's guide shows it. */
  static class GlobalAxonSpanFactory {
    @Bean
    SpanFactory spanFactory() {
      return OpenTelemetrySpanFactory.builder().build();
    }
  }

  /** Captures every span in memory, synchronously. */
  static class CaptureSpans {
    @Bean
    InMemorySpanExporter inMemorySpanExporter() {
      return InMemorySpanExporter.create();
    }

    @Bean
    SpanProcessor inMemorySpanProcessor(InMemorySpanExporter exporter) {
      return SimpleSpanProcessor.create(exporter);
    }
  }
}
