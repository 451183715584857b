package io.tracefold.axon;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tracefold.core.TracefoldAttributes;
import io.tracefold.core.testing.ProvenanceGraph;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.jspecify.annotations.Nullable;

/**
 * A real Axon application for tests: the {@link Order} aggregate on a given storage engine, the
 * OpenTelemetry SDK exporting to memory, and (optionally) Tracefold. Each command runs in a trace
 * of its own, as if sent by a separate client request.
 */
final class AxonTestApp implements AutoCloseable {

  final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  final OpenTelemetrySdk openTelemetry;
  final Configuration config;
  final EventStorageEngine engine;
  private final Tracer clientTracer;

  private AxonTestApp(
      EventStorageEngine engine,
      boolean traced,
      int snapshotThreshold,
      UnaryOperator<AxonTracefold.Builder> tracefold,
      Consumer<Configurer> extra) {
    this(engine, Sampler.parentBased(Sampler.alwaysOn()), traced, snapshotThreshold, tracefold, extra);
  }

  private AxonTestApp(
      EventStorageEngine engine,
      Sampler sampler,
      boolean traced,
      int snapshotThreshold,
      UnaryOperator<AxonTracefold.Builder> tracefold,
      Consumer<Configurer> extra) {
    this(engine, sampler, null, traced, snapshotThreshold, tracefold, extra);
  }

  private AxonTestApp(
      EventStorageEngine engine,
      Sampler sampler,
      @Nullable SpanProcessor processor,
      boolean traced,
      int snapshotThreshold,
      UnaryOperator<AxonTracefold.Builder> tracefold,
      Consumer<Configurer> extra) {
    this.engine = engine;
    SdkTracerProviderBuilder providerBuilder = SdkTracerProvider.builder().setSampler(sampler);
    if (processor != null) {
      providerBuilder.addSpanProcessor(processor);
    }
    SdkTracerProvider tracerProvider = providerBuilder.addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    this.openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
    this.clientTracer = openTelemetry.getTracer("test-client");
    AggregateConfigurer<Order> order = AggregateConfigurer.defaultConfiguration(Order.class);
    if (snapshotThreshold > 0) {
      order.configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(c.snapshotter(), snapshotThreshold));
    }
    Configurer configurer =
        DefaultConfigurer.defaultConfiguration().configureAggregate(order).configureEmbeddedEventStore(c -> engine);
    if (traced) {
      tracefold.apply(AxonTracefold.builder(openTelemetry)).build().configureModule(configurer);
    }
    extra.accept(configurer);
    this.config = configurer.start();
  }

  static AxonTestApp start(EventStorageEngine engine) {
    return new AxonTestApp(engine, true, 0, b -> b, c -> {});
  }

  static AxonTestApp start(EventStorageEngine engine, boolean traced, int snapshotThreshold) {
    return new AxonTestApp(engine, traced, snapshotThreshold, b -> b, c -> {});
  }

  /** Starts an app with or without Tracefold, otherwise configured alike (snapshots, {@code extra}). */
  static AxonTestApp start(
      EventStorageEngine engine, boolean traced, int snapshotThreshold, Consumer<Configurer> extra) {
    return new AxonTestApp(engine, traced, snapshotThreshold, b -> b, extra);
  }

  static AxonTestApp start(EventStorageEngine engine, Consumer<Configurer> extra) {
    return new AxonTestApp(engine, true, 0, b -> b, extra);
  }

  static AxonTestApp start(
      EventStorageEngine engine, UnaryOperator<AxonTracefold.Builder> tracefold, Consumer<Configurer> extra) {
    return new AxonTestApp(engine, true, 0, tracefold, extra);
  }

  /** Starts a traced app whose OpenTelemetry SDK samples with {@code sampler}. */
  static AxonTestApp start(
      EventStorageEngine engine,
      Sampler sampler,
      int snapshotThreshold,
      UnaryOperator<AxonTracefold.Builder> tracefold,
      Consumer<Configurer> extra) {
    return new AxonTestApp(engine, sampler, true, snapshotThreshold, tracefold, extra);
  }

  /** Starts a traced app whose OpenTelemetry SDK runs {@code processor} before the exporting one. */
  static AxonTestApp startWithProcessor(
      EventStorageEngine engine, SpanProcessor processor, int snapshotThreshold, Consumer<Configurer> extra) {
    return new AxonTestApp(
        engine, Sampler.parentBased(Sampler.alwaysOn()), processor, true, snapshotThreshold, b -> b, extra);
  }

  /** Sends a command in a new root trace and returns that trace's id. */
  String send(Object command) {
    Span client = clientTracer.spanBuilder("client.send").setNoParent().startSpan();
    try (Scope ignored = client.makeCurrent()) {
      config.commandGateway().sendAndWait(command);
    } finally {
      client.end();
    }
    return client.getSpanContext().getTraceId();
  }

  /** Loads the order in a new root trace; returns the aggregate. */
  Order load(String orderId) {
    Span client = clientTracer.spanBuilder("client.load").setNoParent().startSpan();
    try (Scope ignored = client.makeCurrent()) {
      return DefaultUnitOfWork.startAndGet(null)
          .executeWithResult(() -> config.repository(Order.class).load(orderId).invoke(o -> o))
          .getPayload();
    } finally {
      client.end();
    }
  }

  /** Returns the latest exported rehydration span of the order. */
  SpanData lastRehydration(String orderId) {
    List<SpanData> spans = exporter.getFinishedSpanItems();
    for (int i = spans.size() - 1; i >= 0; i--) {
      SpanData span = spans.get(i);
      if (span.getName().startsWith("Repository.initializeState")
          && orderId.equals(span.getAttributes().get(TracefoldAttributes.ENTITY_ID))) {
        return span;
      }
    }
    throw new AssertionError("no rehydration span for " + orderId);
  }

  /** Returns the stored events of the order (all of them, whatever snapshots exist). */
  List<DomainEventMessage<?>> storedEvents(String orderId) {
    return StoredEvents.of(engine, orderId);
  }

  /** Returns the graph keys of the spans named by the stored events' {@code traceparent}s. */
  Set<String> eventSpanKeys(String orderId) {
    return StoredEvents.spanKeys(engine, orderId);
  }

  /**
   * Asserts the provenance-completeness invariant for the order's latest rehydration: exactly the
   * event spans of its stream are reachable, no node dangles, no span exceeds the budget.
   */
  ProvenanceGraph.Reach assertLatestRehydrationReachesAllEvents(String orderId, List<SpanData> allSpans) {
    ProvenanceGraph graph = ProvenanceGraph.of(allSpans);
    ProvenanceGraph.Reach reach = graph.reach(lastRehydration(orderId));
    assertThat(reach.dangling()).isEmpty();
    assertThat(reach.contributors()).isEqualTo(eventSpanKeys(orderId));
    assertThat(graph.maxLinksPerSpan()).isLessThanOrEqualTo(128);
    assertThat(graph.spansWithDroppedLinks()).isEmpty();
    return reach;
  }

  List<SpanData> spans() {
    return exporter.getFinishedSpanItems();
  }

  @Override
  public void close() {
    config.shutdown();
    openTelemetry.close();
  }
}
