package io.tracefold.axon;

import static io.tracefold.axon.AxonProjectionTest.latestUpdate;
import static io.tracefold.axon.AxonProjectionTest.withProjection;
import static io.tracefold.core.TracefoldAttributes.CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.EVENTS;
import static io.tracefold.core.TracefoldAttributes.EVENT_SEQUENCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tracefold.core.internal.ParsedTraceparent;
import io.tracefold.core.internal.W3CTraceContext;
import io.tracefold.core.testing.ProvenanceGraph;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.axonframework.config.Configurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.monitoring.NoOpMessageMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code setEventPublishSpans(false)}: events carry the context of the span that applied them (the
 * command handler's), no publish span per event; provenance stays exact at the grain of that span.
 * Both ways events get their context are covered: the event store wired with Axon's event-bus span
 * factory (as Spring Boot does) and Tracefold's fallback interceptor (the plain {@code
 * configureEmbeddedEventStore}).
 */
class AxonEventPublishSpansTest {

  private static final String PUBLISH = "EventBus.publishEvent";
  private static final String HANDLE = "CommandBus.handleCommand";

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void publishSpansOff_eventsCarryTheirHandlerSpan_rehydrationLinksEachCommandOnce(boolean storeWiredWithSpanFactory) {
    InMemoryEventStorageEngine engine = new InMemoryEventStorageEngine();
    try (AxonTestApp app = AxonTestApp.start(
        engine, b -> b.setEventPublishSpans(false), storeWiredWithSpanFactory ? wiredStore(engine) : c -> {})) {
      app.send(new Order.PlaceOrder("o-1"));
      app.send(new Order.AddItems("o-1", 5));
      app.send(new Order.AddItems("o-1", 3));

      assertThat(app.spans()).noneSatisfy(s -> assertThat(s.getName()).startsWith(PUBLISH));
      List<DomainEventMessage<?>> events = app.storedEvents("o-1");
      assertThat(events).hasSize(9);
      // Each event names the handler span of the command that applied it: three spans for three
      // commands, in their own traces.
      Map<String, SpanData> handlers = app.spans().stream()
          .filter(s -> s.getName().startsWith(HANDLE))
          .collect(Collectors.toMap(SpanData::getSpanId, s -> s));
      List<SpanContext> contexts = events.stream().map(AxonEventPublishSpansTest::context).collect(Collectors.toList());
      assertThat(contexts).allSatisfy(c -> assertThat(handlers).containsKey(c.getSpanId()));
      assertThat(contexts.stream().map(SpanContext::getSpanId).distinct()).hasSize(3);
      assertThat(contexts.get(1).getSpanId()).isEqualTo(contexts.get(5).getSpanId())
          .isNotEqualTo(contexts.get(6).getSpanId());
      assertThat(handlers.get(contexts.get(1).getSpanId()).getName()).isEqualTo(HANDLE + "(AddItems)");

      app.load("o-1");
      SpanData rehydration = app.lastRehydration("o-1");
      app.assertLatestRehydrationReachesAllEvents("o-1", app.spans());
      assertThat(rehydration.getAttributes().get(EVENTS)).isEqualTo(9);
      assertThat(rehydration.getAttributes().get(CONTRIBUTORS)).isEqualTo(3);
      // One link per command, marked with the sequence of the first event its span produced.
      assertThat(rehydration.getLinks()).hasSize(3);
      assertThat(rehydration.getLinks()).extracting(l -> l.getAttributes().get(EVENT_SEQUENCE))
          .containsExactlyInAnyOrder(0L, 1L, 6L);
    }
  }

  @Test
  void publishSpansOff_longHistoryThroughLineage_reachesExactlyEveryHandlerSpan() {
    try (AxonTestApp app = AxonTestApp.start(
        new InMemoryEventStorageEngine(), b -> b.setEventPublishSpans(false), c -> {})) {
      app.send(new Order.PlaceOrder("o-1"));
      for (int i = 0; i < 400; i++) {
        app.send(new Order.AddItems("o-1", 3));
      }
      app.load("o-1");
      ProvenanceGraph.Reach reach = app.assertLatestRehydrationReachesAllEvents("o-1", app.spans());
      assertThat(reach.contributors()).hasSize(401);
      assertThat(reach.maxHops()).isLessThanOrEqualTo(3);
      SpanData rehydration = app.lastRehydration("o-1");
      assertThat(rehydration.getAttributes().get(EVENTS)).isEqualTo(1201);
      assertThat(rehydration.getAttributes().get(CONTRIBUTORS)).isEqualTo(401);
    }
  }

  @Test
  void publishSpansOff_ratioSampled_sampledLoadReachesEveryExportedHandlerSpan() {
    Sampler ratio = Sampler.parentBased(Sampler.traceIdRatioBased(0.3));
    try (AxonTestApp app = AxonTestApp.start(
        new InMemoryEventStorageEngine(), ratio, 0, b -> b.setEventPublishSpans(false), c -> {})) {
      app.send(new Order.PlaceOrder("o-1"));
      for (int i = 0; i < 200; i++) {
        app.send(new Order.AddItems("o-1", 2));
      }
      // A load after the last command whose own trace was sampled (not a command's load).
      SpanData load = null;
      for (int i = 0; i < 100 && load == null; i++) {
        long before = rehydrations(app);
        app.load("o-1");
        if (rehydrations(app) > before) {
          load = app.lastRehydration("o-1");
        }
      }
      assertThat(load).as("a sampled load in 100").isNotNull();
      Set<String> exported = app.spans().stream().map(s -> ProvenanceGraph.key(s.getSpanContext())).collect(Collectors.toSet());
      Set<String> exportedEventSpans = app.eventSpanKeys("o-1").stream()
          .filter(exported::contains)
          .collect(Collectors.toSet());
      assertThat(exportedEventSpans).isNotEmpty();
      ProvenanceGraph.Reach reach = ProvenanceGraph.of(app.spans()).reach(load);
      assertThat(reach.dangling()).isEmpty();
      assertThat(reach.contributors()).containsAll(exportedEventSpans);
      assertThat(app.eventSpanKeys("o-1")).containsAll(reach.contributors());
    }
  }

  @Test
  void publishSpansOff_projectionOfTenEventCommands_latestUpdateReachesEveryHandlerSpan() {
    OrderSummaryProjection projection = new OrderSummaryProjection();
    try (AxonTestApp app = AxonTestApp.start(new InMemoryEventStorageEngine(), b -> b.setEventPublishSpans(false),
        withProjection(projection, AxonProjectionTest.Processor.SUBSCRIBING, 10))) {
      app.send(new Order.PlaceOrder("o-1"));
      for (int i = 0; i < 30; i++) {
        app.send(new Order.AddItems("o-1", 10));
      }
      ProvenanceGraph.Reach reach = ProvenanceGraph.of(app.spans()).reach(latestUpdate(app, "o-1"));
      assertThat(reach.dangling()).isEmpty();
      assertThat(reach.contributors()).hasSize(31).isEqualTo(app.eventSpanKeys("o-1"));
    }
  }

  @Test
  void publishSpansOff_eventPublishedOutsideAnySpan_stillGetsAPublishSpanAndContext() {
    try (AxonTestApp app = AxonTestApp.start(
        new InMemoryEventStorageEngine(), b -> b.setEventPublishSpans(false), c -> {})) {
      List<EventMessage<?>> published = new java.util.ArrayList<>();
      app.config.eventBus().subscribe(published::addAll);
      app.config.eventBus().publish(GenericEventMessage.asEventMessage(new Order.NoteAttached("o-9", "n")));

      assertThat(published).singleElement().satisfies(e -> {
        SpanContext context = context(e);
        assertThat(context.isValid()).isTrue();
        assertThat(app.spans()).filteredOn(s -> s.getSpanId().equals(context.getSpanId()))
            .singleElement()
            .satisfies(s -> assertThat(s.getName()).isEqualTo(PUBLISH + "(NoteAttached)"));
      });
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void publishSpansOff_onlyARemoteContextCurrent_eventGetsAPublishSpanOfThisProcess(boolean storeWiredWithSpanFactory) {
    InMemoryEventStorageEngine engine = new InMemoryEventStorageEngine();
    try (AxonTestApp app = AxonTestApp.start(
        engine, b -> b.setEventPublishSpans(false), storeWiredWithSpanFactory ? wiredStore(engine) : c -> {})) {
      List<EventMessage<?>> published = new java.util.ArrayList<>();
      app.config.eventBus().subscribe(published::addAll);
      // An extracted context of another service (as a propagator leaves it before any server span).
      SpanContext remote = SpanContext.createFromRemoteParent(
          "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
      try (Scope ignored = Context.root().with(Span.wrap(remote)).makeCurrent()) {
        app.config.eventBus().publish(GenericEventMessage.asEventMessage(new Order.NoteAttached("o-9", "n")));
      }

      assertThat(published).singleElement().satisfies(e -> {
        SpanContext context = context(e);
        assertThat(context.getSpanId()).isNotEqualTo(remote.getSpanId());
        assertThat(context.getTraceId()).isEqualTo(remote.getTraceId());
        assertThat(app.spans()).filteredOn(s -> s.getSpanId().equals(context.getSpanId()))
            .singleElement()
            .satisfies(s -> {
              assertThat(s.getName()).isEqualTo(PUBLISH + "(NoteAttached)");
              assertThat(s.getParentSpanId()).isEqualTo(remote.getSpanId());
            });
      });
    }
  }

  /** A command whose handler sends two nested commands in its own unit of work. */
  record PlaceTwo(String first, String second) {}

  /**
   * Nested commands: with the store wired with the event-bus span factory, each event carries the
   * span of the nested command that applied it; with the plain {@code configureEmbeddedEventStore}
   * Tracefold's fallback interceptor runs when the root unit of work commits, so every event
   * carries the root command's span (documented on {@code setEventPublishSpans}).
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void publishSpansOff_nestedCommands_exactWithTheWiredStore_rootSpanWithTheFallback(boolean storeWiredWithSpanFactory) {
    InMemoryEventStorageEngine engine = new InMemoryEventStorageEngine();
    Consumer<Configurer> nested = configurer -> configurer.registerCommandHandler(c -> new Object() {
      @org.axonframework.commandhandling.CommandHandler
      void handle(PlaceTwo command) {
        c.commandGateway().sendAndWait(new Order.PlaceOrder(command.first()));
        c.commandGateway().sendAndWait(new Order.PlaceOrder(command.second()));
      }
    });
    Consumer<Configurer> extra = storeWiredWithSpanFactory ? wiredStore(engine).andThen(nested) : nested;
    try (AxonTestApp app = AxonTestApp.start(engine, b -> b.setEventPublishSpans(false), extra)) {
      app.send(new PlaceTwo("o-a", "o-b"));

      SpanContext a = context(app.storedEvents("o-a").get(0));
      SpanContext b = context(app.storedEvents("o-b").get(0));
      Map<String, SpanData> byId = app.spans().stream().collect(Collectors.toMap(SpanData::getSpanId, s -> s));
      assertThat(byId).containsKeys(a.getSpanId(), b.getSpanId());
      if (storeWiredWithSpanFactory) {
        assertThat(byId.get(a.getSpanId()).getName()).isEqualTo(HANDLE + "(PlaceOrder)");
        assertThat(byId.get(b.getSpanId()).getName()).isEqualTo(HANDLE + "(PlaceOrder)");
        assertThat(a.getSpanId()).isNotEqualTo(b.getSpanId());
      } else {
        assertThat(byId.get(a.getSpanId()).getName()).isEqualTo(HANDLE + "(PlaceTwo)");
        assertThat(b.getSpanId()).isEqualTo(a.getSpanId());
      }
      // Either way the span exists and was exported: a rehydration reaches it.
      app.load("o-a");
      app.assertLatestRehydrationReachesAllEvents("o-a", app.spans());
    }
  }

  @Test
  void publishSpansOn_default_everyEventHasAPublishSpanOfItsOwn() {
    try (AxonTestApp app = AxonTestApp.start(new InMemoryEventStorageEngine())) {
      app.send(new Order.PlaceOrder("o-1"));
      app.send(new Order.AddItems("o-1", 4));
      assertThat(app.spans().stream().filter(s -> s.getName().startsWith(PUBLISH))).hasSize(5);
      assertThat(app.eventSpanKeys("o-1")).hasSize(5);
    }
  }

  private static long rehydrations(AxonTestApp app) {
    return app.spans().stream().filter(s -> s.getName().startsWith("Repository.initializeState")).count();
  }

  private static Consumer<Configurer> wiredStore(InMemoryEventStorageEngine engine) {
    return configurer -> configurer.configureEventStore(
        c -> EmbeddedEventStore.builder()
            .storageEngine(engine)
            .messageMonitor(NoOpMessageMonitor.INSTANCE)
            .spanFactory(c.getComponent(EventBusSpanFactory.class))
            .build());
  }

  private static SpanContext context(EventMessage<?> event) {
    Object traceparent = event.getMetaData().get(W3CTraceContext.TRACEPARENT);
    ParsedTraceparent parsed = new ParsedTraceparent();
    assertThat(traceparent).isInstanceOf(CharSequence.class);
    assertThat(W3CTraceContext.parseTraceparent((CharSequence) traceparent, parsed)).isTrue();
    return parsed.toSpanContext(null);
  }
}
