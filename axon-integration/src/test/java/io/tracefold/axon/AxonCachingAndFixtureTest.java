package io.tracefold.axon;

import static io.tracefold.core.TracefoldAttributes.CACHE_HIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracefold.core.testing.ProvenanceGraph;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.modelling.command.RepositorySpanFactory;
import org.axonframework.modelling.command.inspection.AggregateMetaModelFactory;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.Test;

class AxonCachingAndFixtureTest {

  @Test
  void cachingRepository_cacheHit_loadSpanIsMarkedAndLinksTheLatestReconstruction() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    OpenTelemetrySdk otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .build();
    StrongCache cache = new StrongCache();
    Configurer configurer =
        DefaultConfigurer.defaultConfiguration()
            .configureAggregate(AggregateConfigurer.defaultConfiguration(Order.class).configureCache(c -> cache))
            .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine());
    AxonTracefold.create(otel).configureModule(configurer);
    Configuration config = configurer.start();
    try {
      send(otel, config, new Order.PlaceOrder("o-1"));
      send(otel, config, new Order.AddItems("o-1", 200));
      cache.removeAll();
      send(otel, config, new Order.AddItems("o-1", 1)); // miss: rehydrated and linked
      send(otel, config, new Order.AddItems("o-1", 1)); // hit: nothing rebuilt

      List<SpanData> spans = exporter.getFinishedSpanItems();
      List<SpanData> rehydrations = named(spans, "Repository.initializeState");
      List<SpanData> loads = named(spans, "Repository.load");
      assertThat(rehydrations).hasSize(1);
      assertThat(loads).hasSize(3);
      SpanData hit = loads.get(2);
      assertThat(hit.getAttributes().get(CACHE_HIT)).isTrue();
      assertThat(hit.getLinks()).singleElement()
          .satisfies(link -> assertThat(link.getSpanContext()).isEqualTo(rehydrations.get(0).getSpanContext()));
      // Through the latest reconstruction, the hit reaches the 201 events that existed then.
      ProvenanceGraph.Reach reach = ProvenanceGraph.of(spans).reach(hit);
      assertThat(reach.dangling()).isEmpty();
      assertThat(reach.contributors()).hasSize(201);
      assertThat(loads.get(1).getAttributes().get(CACHE_HIT)).isNull();
    } finally {
      config.shutdown();
      otel.close();
    }
  }

  @Test
  void cachingRepository_twoAggregateTypesWithOneId_cacheHitLinksItsOwnTypesReconstruction() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    OpenTelemetrySdk otel =
        OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .build();
    StrongCache orders = new StrongCache();
    StrongCache invoices = new StrongCache();
    // Axon 4 requires ids unique per event store: invoices live in a store of their own.
    EmbeddedEventStore invoiceStore = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
    Configurer configurer =
        DefaultConfigurer.defaultConfiguration()
            .configureAggregate(AggregateConfigurer.defaultConfiguration(Order.class).configureCache(c -> orders))
            .configureAggregate(
                AggregateConfigurer.defaultConfiguration(Invoice.class)
                    .configureRepository(c -> EventSourcingRepository.builder(Invoice.class)
                        .eventStore(invoiceStore)
                        .cache(invoices)
                        .aggregateModel(c.getComponent(AggregateMetaModelFactory.class).createModel(Invoice.class))
                        .spanFactory(c.getComponent(RepositorySpanFactory.class))
                        .build()))
            .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine());
    AxonTracefold.create(otel).configureModule(configurer);
    Configuration config = configurer.start();
    try {
      send(otel, config, new Order.PlaceOrder("same-id"));
      orders.removeAll();
      send(otel, config, new Order.AddItems("same-id", 1)); // Order rehydrated
      send(otel, config, new Invoice.CreateInvoice("same-id"));
      invoices.removeAll();
      send(otel, config, new Invoice.AddLine("same-id")); // Invoice rehydrated, later
      send(otel, config, new Order.AddItems("same-id", 1)); // Order cache hit

      List<SpanData> spans = exporter.getFinishedSpanItems();
      List<SpanData> rehydrations = named(spans, "Repository.initializeState");
      assertThat(rehydrations).extracting(SpanData::getName)
          .containsExactly("Repository.initializeState(Order)", "Repository.initializeState(Invoice)");
      SpanData hit = named(spans, "Repository.load").stream()
          .filter(s -> Boolean.TRUE.equals(s.getAttributes().get(CACHE_HIT)))
          .reduce((a, b) -> b)
          .orElseThrow();
      assertThat(hit.getLinks()).singleElement()
          .satisfies(link -> assertThat(link.getSpanContext()).isEqualTo(rehydrations.get(0).getSpanContext()));
    } finally {
      config.shutdown();
      invoiceStore.shutDown();
      otel.close();
    }
  }

  /**
   * A cache that holds its entries strongly. Axon's {@code WeakReferenceCache} lets the collector
   * clear an aggregate between two commands, which turned an expected cache hit into a second
   * rehydration about one run in a few dozen; these tests decide hit and miss themselves.
   */
  private static final class StrongCache implements Cache {
    private final Map<Object, Object> entries = new ConcurrentHashMap<>();

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
      return (V) entries.get(key);
    }

    @Override
    public void put(Object key, Object value) {
      entries.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
      return entries.putIfAbsent(key, value) == null;
    }

    @Override
    public boolean remove(Object key) {
      return entries.remove(key) != null;
    }

    @Override
    public void removeAll() {
      entries.clear();
    }

    @Override
    public boolean containsKey(Object key) {
      return entries.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener listener) {
      return () -> true;
    }
  }

  private static List<SpanData> named(List<SpanData> spans, String prefix) {
    return spans.stream().filter(s -> s.getName().startsWith(prefix)).collect(Collectors.toList());
  }

  @Test
  void aggregateTestFixture_annotatedAggregate_behavesAsPlainAxon() {
    FixtureConfiguration<Order> fixture = new AggregateTestFixture<>(Order.class);
    fixture.given(new Order.OrderPlaced("o-1"), new Order.ItemAdded("o-1", 1))
        .when(new Order.AddItems("o-1", 2))
        .expectSuccessfulHandlerExecution()
        .expectEvents(new Order.ItemAdded("o-1", 2), new Order.ItemAdded("o-1", 3))
        .expectState(order -> assertThat(order.getItems()).isEqualTo(3));
  }

  private static void send(OpenTelemetrySdk otel, Configuration config, Object command) {
    Span client = otel.getTracer("test").spanBuilder("client").setNoParent().startSpan();
    try (Scope ignored = client.makeCurrent()) {
      config.commandGateway().sendAndWait(command);
    } finally {
      client.end();
    }
  }
}
