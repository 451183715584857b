package io.tracefold.axon;

import static io.tracefold.core.TracefoldAttributes.CONTEXTS_INVALID;
import static io.tracefold.core.TracefoldAttributes.CONTEXTS_MISSING;
import static io.tracefold.core.TracefoldAttributes.CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.ENTITY_TYPE;
import static io.tracefold.core.TracefoldAttributes.EVENTS;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.trace.data.SpanData;
import io.tracefold.core.internal.ParsedTraceparent;
import io.tracefold.core.internal.W3CTraceContext;
import io.tracefold.core.testing.ProvenanceGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.axonframework.eventhandling.EventBusSpanFactory;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.tracing.attributes.MetadataSpanAttributesProvider;
import org.junit.jupiter.api.Test;

class AxonRehydrationTest {

  @Test
  void writePath_eachEventCarriesTheContextOfAnExportedPublishSpanInItsCommandsTrace() {
    try (AxonTestApp app = AxonTestApp.start(new InMemoryEventStorageEngine())) {
      String placeTrace = app.send(new Order.PlaceOrder("o-1"));
      String addTrace = app.send(new Order.AddItems("o-1", 3));

      List<DomainEventMessage<?>> events = app.storedEvents("o-1");
      assertThat(events).hasSize(4);
      ProvenanceGraph graph = ProvenanceGraph.of(app.spans());
      for (DomainEventMessage<?> event : events) {
        ParsedTraceparent parsed = new ParsedTraceparent();
        assertThat(W3CTraceContext.parseTraceparent((CharSequence) event.getMetaData().get("traceparent"), parsed)).isTrue();
        SpanData publish = graph.span(parsed.toSpanContext(null));
        assertThat(publish).as("exported span of event %s", event.getSequenceNumber()).isNotNull();
        assertThat(publish.getName()).startsWith("EventBus.publishEvent");
        assertThat(publish.getTraceId()).isEqualTo(event.getSequenceNumber() == 0 ? placeTrace : addTrace);
        assertThat(handleCommandSpan(app, publish.getTraceId()).getTraceId()).isEqualTo(publish.getTraceId());
      }
      // No baggage and no copied metadata by default.
      assertThat(events).allSatisfy(e -> assertThat(e.getMetaData()).doesNotContainKey("baggage"));
    }
  }

  @Test
  void writePath_baggage_onlyAllowlistedKeysArePersisted() {
    Baggage baggage = Baggage.builder().put("tenant", "acme").put("session-token", "s3cr3t").build();
    try (AxonTestApp plain = AxonTestApp.start(new InMemoryEventStorageEngine());
        Scope ignored = baggage.makeCurrent()) {
      plain.send(new Order.PlaceOrder("o-1"));
      assertThat(plain.storedEvents("o-1").get(0).getMetaData()).doesNotContainKey("baggage");
    }
    try (AxonTestApp allowing =
            AxonTestApp.start(new InMemoryEventStorageEngine(), b -> b.setBaggageAllowlist(List.of("tenant")), c -> {});
        Scope ignored = baggage.makeCurrent()) {
      allowing.send(new Order.PlaceOrder("o-1"));
      assertThat(allowing.storedEvents("o-1").get(0).getMetaData().get("baggage")).isEqualTo("tenant=acme");
    }
  }

  @Test
  void writePath_metadataProvider_copiesNothingIntoSpanAttributesByDefault() {
    try (AxonTestApp app =
        AxonTestApp.start(
            new InMemoryEventStorageEngine(),
            configurer -> configurer.onInitialize(
                c -> c.spanFactory().registerSpanAttributeProvider(new MetadataSpanAttributesProvider())))) {
      app.config.commandGateway().sendAndWait(
          new GenericCommandMessage<>(new Order.PlaceOrder("o-1")).andMetaData(Map.of("card-number", "4111")));
      assertThat(app.spans())
          .allSatisfy(s -> assertThat(s.getAttributes().asMap().keySet().toString()).doesNotContain("card-number"));
    }
  }

  @Test
  void writePath_storeWiredWithTheEventBusSpanFactory_oneContextPerEventNoDuplicateSpans() {
    InMemoryEventStorageEngine engine = new InMemoryEventStorageEngine();
    try (AxonTestApp app =
        AxonTestApp.start(
            engine,
            configurer ->
                configurer.configureEventStore(
                    c -> EmbeddedEventStore.builder()
                        .storageEngine(engine)
                        .messageMonitor(NoOpMessageMonitor.INSTANCE)
                        .spanFactory(c.getComponent(EventBusSpanFactory.class))
                        .build()))) {
      app.send(new Order.PlaceOrder("o-1"));
      app.send(new Order.AddItems("o-1", 5));

      long publishSpans = app.spans().stream().filter(s -> s.getName().startsWith("EventBus.publishEvent")).count();
      assertThat(publishSpans).isEqualTo(6);
      app.load("o-1");
      app.assertLatestRehydrationReachesAllEvents("o-1", app.spans());
    }
  }

  @Test
  void rehydration_threeCommandsInSeparateTraces_reachesExactlyTheirPublishSpans() {
    try (AxonTestApp app = AxonTestApp.start(new InMemoryEventStorageEngine())) {
      List<String> traces = new ArrayList<>();
      traces.add(app.send(new Order.PlaceOrder("o-1")));
      traces.add(app.send(new Order.AddItems("o-1", 3)));
      traces.add(app.send(new Order.AddItems("o-1", 3)));

      app.load("o-1");

      SpanData rehydration = app.lastRehydration("o-1");
      ProvenanceGraph.Reach reach = app.assertLatestRehydrationReachesAllEvents("o-1", app.spans());
      assertThat(reach.contributors()).hasSize(7);
      assertThat(reach.contributorContexts()).extracting(c -> c.getTraceId()).containsOnly(traces.toArray(new String[0]));
      assertThat(rehydration.getAttributes().get(EVENTS)).isEqualTo(7);
      assertThat(rehydration.getAttributes().get(CONTRIBUTORS)).isEqualTo(7);
      assertThat(rehydration.getAttributes().get(ENTITY_TYPE)).isEqualTo("Order");
      assertThat(rehydration.getName()).doesNotContain("o-1");
      assertThat(rehydration.getLinks()).hasSize(7);
    }
  }

  @Test
  void rehydration_1000Events_reachesAllThroughLineageWithinBudget() {
    try (AxonTestApp app = AxonTestApp.start(new InMemoryEventStorageEngine())) {
      app.send(new Order.PlaceOrder("o-1"));
      for (int i = 0; i < 10; i++) {
        app.send(new Order.AddItems("o-1", 100));
      }
      app.load("o-1");

      ProvenanceGraph.Reach reach = app.assertLatestRehydrationReachesAllEvents("o-1", app.spans());
      assertThat(reach.contributors()).hasSize(1001);
      assertThat(reach.maxHops()).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void rehydration_100SuccessiveCommands_spansPerLoadStayBoundedAndCompleteness() {
    try (AxonTestApp app = AxonTestApp.start(new InMemoryEventStorageEngine())) {
      app.send(new Order.PlaceOrder("o-1"));
      for (int i = 0; i < 10; i++) {
        app.send(new Order.AddItems("o-1", 100));
      }
      List<Long> lineageSpansPerLoad = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        app.send(new Order.AddItems("o-1", 3));
        lineageSpansPerLoad.add(java.util.Objects.requireNonNullElse(
            app.lastRehydration("o-1").getAttributes().get(io.tracefold.core.TracefoldAttributes.LINEAGE_SPANS), 0L));
      }
      // First command after the history paid for it (1001 / 128 full nodes); after that each load
      // emits at most one new full node plus, rarely, one fold or spill node.
      assertThat(lineageSpansPerLoad.get(0)).isLessThanOrEqualTo(1001 / 128 + 2);
      assertThat(lineageSpansPerLoad.subList(1, 100)).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2));
      app.load("o-1");
      app.assertLatestRehydrationReachesAllEvents("o-1", app.spans());
    }
  }

  @Test
  void rehydration_eventsWithoutOrWithCorruptContext_loadAndAreCounted() {
    InMemoryEventStorageEngine engine = new InMemoryEventStorageEngine();
    // Written before Tracefold was installed, or damaged: no context, bad values, wrong types.
    engine.appendEvents(
        event(0, new Order.OrderPlaced("o-1"), MetaData.emptyInstance()),
        event(1, new Order.ItemAdded("o-1", 1), MetaData.with("traceparent", "00-zz-not-valid")),
        event(2, new Order.ItemAdded("o-1", 2), MetaData.with("traceparent", 12345)),
        event(3, new Order.ItemAdded("o-1", 3), MetaData.with("traceparent", "00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")),
        event(4, new Order.ItemAdded("o-1", 4), MetaData.with("tracestate", "x".repeat(100_000))));
    try (AxonTestApp app = AxonTestApp.start(engine)) {
      app.send(new Order.AddItems("o-1", 2));

      Order order = app.load("o-1");

      assertThat(order.getItems()).isEqualTo(6);
      SpanData rehydration = app.lastRehydration("o-1");
      assertThat(rehydration.getAttributes().get(EVENTS)).isEqualTo(7);
      assertThat(rehydration.getAttributes().get(CONTEXTS_INVALID)).isEqualTo(2);
      assertThat(rehydration.getAttributes().get(CONTEXTS_MISSING)).isEqualTo(3);
      assertThat(rehydration.getAttributes().get(CONTRIBUTORS)).isEqualTo(2);
      app.assertLatestRehydrationReachesAllEvents("o-1", app.spans());
    }
  }

  @Test
  void rehydration_eventWithoutAggregateHandler_isStillAContributor() {
    try (AxonTestApp app = AxonTestApp.start(new InMemoryEventStorageEngine())) {
      app.send(new Order.PlaceOrder("o-1"));
      app.send(new Order.Annotate("o-1", "fragile"));
      app.load("o-1");
      assertThat(app.assertLatestRehydrationReachesAllEvents("o-1", app.spans()).contributors()).hasSize(2);
    }
  }

  @Test
  void state_isIdenticalWithAndWithoutTracefold() {
    Order traced;
    Order plain;
    try (AxonTestApp app = AxonTestApp.start(new InMemoryEventStorageEngine(), true, 0)) {
      workload(app);
      traced = app.load("o-1");
    }
    try (AxonTestApp app = AxonTestApp.start(new InMemoryEventStorageEngine(), false, 0)) {
      workload(app);
      plain = app.load("o-1");
      assertThat(app.spans()).noneMatch(s -> s.getName().startsWith("tracefold"));
    }
    assertThat(traced).usingRecursiveComparison().isEqualTo(plain);
    assertThat(traced.getItems()).isEqualTo(300);
  }

  private static void workload(AxonTestApp app) {
    app.send(new Order.PlaceOrder("o-1"));
    for (int i = 0; i < 30; i++) {
      app.send(new Order.AddItems("o-1", 10));
    }
  }

  private static SpanData handleCommandSpan(AxonTestApp app, String traceId) {
    return app.spans().stream()
        .filter(s -> s.getTraceId().equals(traceId) && s.getName().startsWith("CommandBus.handleCommand"))
        .findFirst()
        .orElseThrow();
  }

  private static DomainEventMessage<?> event(long sequence, Object payload, Map<String, ?> metaData) {
    return new GenericDomainEventMessage<>("Order", "o-1", sequence, payload, metaData);
  }
  /**
   * Hand-wired with a repository span factory on a no-op {@code SpanFactory}: the initializeState
   * span has no OpenTelemetry span of its own, so the span around the load (here a client's) is
   * neither linked nor given entity attributes, and the load works.
   */
  @Test
  void rehydration_noOpRepositorySpans_neverLinksTheEnclosingSpan() {
    io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter exporter =
        io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
    try (io.opentelemetry.sdk.OpenTelemetrySdk otel = io.opentelemetry.sdk.OpenTelemetrySdk.builder()
        .setTracerProvider(io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
            .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(exporter)).build())
        .build()) {
      AxonTracefold tracefold = AxonTracefold.create(otel);
      org.axonframework.config.Configurer configurer = org.axonframework.config.DefaultConfigurer.defaultConfiguration()
          .configureAggregate(Order.class)
          .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine());
      tracefold.configureModule(configurer);
      configurer.registerComponent(org.axonframework.modelling.command.RepositorySpanFactory.class,
          c -> tracefold.repositorySpanFactory(org.axonframework.modelling.command.DefaultRepositorySpanFactory.builder()
              .spanFactory(org.axonframework.tracing.NoOpSpanFactory.INSTANCE).build()));
      org.axonframework.config.Configuration config = configurer.start();
      try {
        config.commandGateway().sendAndWait(new Order.PlaceOrder("o-1"));
        config.commandGateway().sendAndWait(new Order.AddItems("o-1", 3));
        io.opentelemetry.api.trace.Span outer = otel.getTracer("test").spanBuilder("client.load").startSpan();
        try (Scope ignored = outer.makeCurrent()) {
          Order order = org.axonframework.messaging.unitofwork.DefaultUnitOfWork.startAndGet(null)
              .executeWithResult(() -> config.repository(Order.class).load("o-1").invoke(o -> o))
              .getPayload();
          assertThat(order.getItems()).isEqualTo(3);
        } finally {
          outer.end();
        }
        SpanData client = exporter.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("client.load")).findFirst().orElseThrow();
        assertThat(client.getLinks()).isEmpty();
        assertThat(client.getAttributes().get(ENTITY_TYPE)).isNull();
        assertThat(client.getAttributes().get(EVENTS)).isNull();
      } finally {
        config.shutdown();
      }
    }
  }
}
