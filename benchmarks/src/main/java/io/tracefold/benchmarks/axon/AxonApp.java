package io.tracefold.benchmarks.axon;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tracefold.axon.AxonTracefold;
import io.tracefold.axon.InMemoryProjectionLineageStore;
import io.tracefold.benchmarks.Inputs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.axonframework.modelling.command.inspection.AggregateMetaModelFactory;
import org.axonframework.tracing.opentelemetry.OpenTelemetrySpanFactory;

/**
 * One Axon application of a benchmark: the {@link Order} aggregate on a given storage engine,
 * configured with {@code DefaultConfigurer} in one of four ways ({@link Tracing}). Built in
 * {@code @Setup}, closed in {@code @TearDown}; never measured.
 *
 * <p>The event store is built as Axon's Spring Boot support builds it ({@code EmbeddedEventStore}
 * with the event-bus span factory), for every variant alike. The traced variants use the OpenTelemetry SDK with the always-on sampler and a span processor
 * that does nothing on end ({@link NoopSpanProcessor}): every span is recorded, with its links and
 * attributes, and nothing is exported, so the benchmarks measure the instrumentation, not an
 * exporter.
 */
final class AxonApp implements AutoCloseable {

  /** How the application is traced. */
  enum Tracing {
    /** {@code DefaultConfigurer} as is: Axon's no-op span factory, no OpenTelemetry. */
    PLAIN,
    /** Plus {@code AxonTracefold.configureModule}, with an in-memory projection lineage store. */
    TRACEFOLD,
    /**
     * {@link #TRACEFOLD} with {@code setEventPublishSpans(false)}: events carry the command
     * handler's context, no publish span per event.
     */
    TRACEFOLD_NO_PUBLISH_SPANS,
    /**
     * Axon spans through Tracefold's span factory, and the hand-written linking of {@link
     * NaiveLinkingMetaModelFactory} instead of Tracefold's repository, model and snapshot hooks.
     */
    NAIVE,
    /**
     * The peer: Axon's own OpenTelemetry module ({@code axon-tracing-opentelemetry}'s {@code
     * OpenTelemetrySpanFactory}, as Axon's Spring Boot support configures it: Axon's tracer name and
     * the W3C trace-context propagator) on the same SDK, sampler and span processor as {@link
     * #TRACEFOLD}. It traces commands, events and loads, and links nothing.
     */
    PEER
  }

  final Configuration config;
  /** The projection lineage store of a {@link Tracing#TRACEFOLD} application; null otherwise. */
  final InMemoryProjectionLineageStore lineageStore;
  private final OpenTelemetrySdk sdk;

  private AxonApp(Tracing tracing, EventStorageEngine engine, Consumer<Configurer> extra) {
    // The event store as Axon's Spring Boot support builds it, with the event-bus span factory, so
    // that every traced side gives each event its publish span and context the same way.
    Configurer configurer =
        DefaultConfigurer.defaultConfiguration()
            .configureAggregate(Order.class)
            .registerComponent(EventStorageEngine.class, c -> engine)
            .configureEventStore(
                c -> EmbeddedEventStore.builder()
                    .storageEngine(engine)
                    .messageMonitor(c.messageMonitor(EventStore.class, "eventStore"))
                    .spanFactory(c.getComponent(EventBusSpanFactory.class))
                    .build());
    if (tracing == Tracing.PLAIN) {
      sdk = null;
      lineageStore = null;
    } else {
      SdkTracerProvider tracerProvider =
          SdkTracerProvider.builder()
              .setSampler(Sampler.alwaysOn())
              .addSpanProcessor(NoopSpanProcessor.INSTANCE)
              .build();
      sdk = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
      if (tracing == Tracing.TRACEFOLD || tracing == Tracing.TRACEFOLD_NO_PUBLISH_SPANS) {
        lineageStore = new InMemoryProjectionLineageStore();
        AxonTracefold.builder(sdk)
            .setProjectionLineageStore(lineageStore)
            .setEventPublishSpans(tracing == Tracing.TRACEFOLD)
            .build()
            .configureModule(configurer);
      } else if (tracing == Tracing.PEER) {
        lineageStore = null;
        OpenTelemetrySpanFactory peer =
            OpenTelemetrySpanFactory.builder()
                .tracer(sdk.getTracer("AxonFramework-OpenTelemetry"))
                .contextPropagators(W3CTraceContextPropagator.getInstance())
                .build();
        configurer.configureSpanFactory(c -> peer);
      } else {
        lineageStore = null;
        AxonTracefold spans = AxonTracefold.create(sdk);
        configurer.configureSpanFactory(c -> spans.spanFactory());
        configurer.registerComponent(AggregateMetaModelFactory.class, NaiveLinkingMetaModelFactory::new);
      }
    }
    extra.accept(configurer);
    config = configurer.start();
  }

  /** Starts an application on {@code engine}; {@code extra} registers more components. */
  static AxonApp start(Tracing tracing, EventStorageEngine engine, Consumer<Configurer> extra) {
    return new AxonApp(tracing, engine, extra);
  }

  /** Starts an application on {@code engine}. */
  static AxonApp start(Tracing tracing, EventStorageEngine engine) {
    return new AxonApp(tracing, engine, c -> {});
  }

  /**
   * Loads an order in a unit of work that is rolled back, as a command handler would, and returns
   * its checksum (so the whole replay is used).
   */
  static long loadChecksum(Repository<Order> repository, String orderId) {
    UnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
    try {
      return repository.load(orderId).invoke(Order::checksum);
    } finally {
      unitOfWork.rollback();
    }
  }

  @Override
  public void close() {
    config.shutdown();
    if (sdk != null) {
      sdk.getSdkTracerProvider().shutdown().join(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Returns events {@code from} to {@code to - 1} of one order as a traced application writes them:
   * {@code OrderPlaced} at sequence 0, then {@code ItemAdded}; each with a distinct sampled {@code
   * traceparent} (a command of its own) next to Axon's {@code traceId} and {@code correlationId}.
   * The same seed gives the same contexts, so every fork measures the same inputs.
   */
  static List<DomainEventMessage<?>> orderEvents(String orderId, int from, int to, long seed) {
    String[] traceparents = Inputs.distinctTraceparents(to - from, seed);
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    List<DomainEventMessage<?>> events = new ArrayList<>(to - from);
    for (int sequence = from; sequence < to; sequence++) {
      Object payload =
          sequence == 0 ? new Order.OrderPlaced(orderId) : new Order.ItemAdded(orderId, sequence);
      Map<String, Object> metaData = new HashMap<>();
      String commandId = new UUID(random.nextLong(), random.nextLong()).toString();
      metaData.put("traceId", commandId);
      metaData.put("correlationId", commandId);
      metaData.put("traceparent", traceparents[sequence - from]);
      events.add(new GenericDomainEventMessage<>("Order", orderId, sequence, payload, metaData));
    }
    return events;
  }

  /** Records every span (always-on sampler) and does nothing when one starts or ends. */
  enum NoopSpanProcessor implements SpanProcessor {
    INSTANCE;

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {}

    @Override
    public boolean isEndRequired() {
      return false;
    }
  }
}
