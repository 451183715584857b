package io.tracefold.examples;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.tracefold.axon.AxonTracefold;
import io.tracefold.examples.fulfilment.CustomerOrder;
import io.tracefold.examples.fulfilment.StockItem;
import io.tracefold.examples.fulfilment.StockLevelProjection;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.messaging.responsetypes.ResponseType;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * The order-fulfilment application: two traced aggregates ({@link CustomerOrder}, and
 * {@link StockItem} with snapshots), one traced projection ({@link StockLevelProjection}) on a
 * tracking processor, and Tracefold wired into a plain Axon {@link Configurer}. Every client call
 * is a root span of its own, as a separate request of a separate client would be.
 */
final class FulfilmentApp implements AutoCloseable {

  static final AttributeKey<String> CLIENT = AttributeKey.stringKey("example.client");

  final Configuration config;
  final EventStoreSetup store;
  private final Tracer clientTracer;
  private final StockLevelProjection projection = new StockLevelProjection();

  FulfilmentApp(Telemetry telemetry, ExampleOptions options) {
    // Plain Axon asks AxonIQ for updates at start-up; the example stays off the network.
    if (System.getProperty("axoniq.update-checker.disabled") == null) {
      System.setProperty("axoniq.update-checker.disabled", "true");
    }
    JacksonSerializer json =
        JacksonSerializer.builder()
            .objectMapper(
                new ObjectMapper()
                    .findAndRegisterModules()
                    .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY))
            .build();
    this.store = EventStoreSetup.create(options, json);
    this.clientTracer = telemetry.sdk.getTracer("io.tracefold.examples.client");

    // Only this run's events: a shared database may hold earlier runs.
    TrackingToken start = store.engine.createHeadToken();
    Configurer configurer =
        DefaultConfigurer.defaultConfiguration()
            .configureSerializer(c -> json)
            .configureEventSerializer(c -> json)
            .configureMessageSerializer(c -> json)
            .configureAggregate(
                AggregateConfigurer.defaultConfiguration(CustomerOrder.class)
                    .configureAggregateFactory(c -> new SnapshotCopyingAggregateFactory<>(CustomerOrder.class, json)))
            .configureAggregate(
                AggregateConfigurer.defaultConfiguration(StockItem.class)
                    .configureAggregateFactory(c -> new SnapshotCopyingAggregateFactory<>(StockItem.class, json))
                    .configureSnapshotTrigger(
                        c -> new EventCountSnapshotTriggerDefinition(c.snapshotter(), options.snapshotThreshold())))
            .configureEmbeddedEventStore(c -> store.engine)
            .registerQueryHandler(c -> projection);
    configurer
        .eventProcessing()
        .registerTrackingEventProcessor(
            StockLevelProjection.PROCESSING_GROUP,
            c -> c.eventStore(),
            c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                .andInitialTrackingToken(source -> start))
        .registerEventHandler(c -> projection);
    AxonTracefold.builder(telemetry.sdk)
        .setProjectionLineageStore(store.lineageStore)
        .build()
        .configureModule(configurer);
    try {
      this.config = configurer.start();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** Sends {@code command} as {@code client}, in a new trace; returns the handler's result. */
  <R> R send(String client, Object command) {
    return asClient(client, "Client.send(" + command.getClass().getSimpleName() + ')',
        () -> config.commandGateway().sendAndWait(command));
  }

  /** Loads an aggregate as {@code client}, in a new trace, and returns it. */
  <T> T load(String client, Class<T> type, String id) {
    return asClient(client, "Client.load(" + type.getSimpleName() + ')',
        () -> DefaultUnitOfWork.startAndGet(null)
            .executeWithResult(() -> config.repository(type).load(id).invoke(aggregate -> aggregate))
            .getPayload());
  }

  /** Sends a query as {@code client}, in a new trace, and returns the answer. */
  <R> R query(String client, Object query, ResponseType<R> responseType) {
    return asClient(client, "Client.query(" + query.getClass().getSimpleName() + ')',
        () -> config.queryGateway().query(query, responseType).join());
  }

  /** Runs {@code call} in a root span of its own: a separate request of a separate client. */
  @SuppressWarnings("try") // the scope is used for its side effect: the span is current
  private <R> R asClient(String client, String spanName, Supplier<R> call) {
    Span span =
        clientTracer
            .spanBuilder(spanName)
            .setNoParent()
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(CLIENT, client)
            .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      return call.get();
    } catch (RuntimeException e) {
      span.setStatus(StatusCode.ERROR);
      span.recordException(e);
      throw e;
    } finally {
      span.end();
    }
  }

  /** Waits until the projection has handled every event stored so far. */
  void awaitProjection(Duration timeout) throws TimeoutException, InterruptedException {
    TrackingToken head = config.eventStore().createHeadToken();
    StreamingEventProcessor processor =
        config.eventProcessingConfiguration()
            .eventProcessor(StockLevelProjection.PROCESSING_GROUP, StreamingEventProcessor.class)
            .orElseThrow();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean caughtUp = !processor.processingStatus().isEmpty();
      for (var status : processor.processingStatus().values()) {
        TrackingToken token = status.getTrackingToken();
        if (head != null && (token == null || !token.covers(head))) {
          caughtUp = false;
        }
      }
      if (caughtUp || head == null) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the stock-levels projection did not catch up in " + timeout);
      }
      Thread.sleep(10);
    }
  }

  @Override
  public void close() {
    try {
      config.shutdown();
    } finally {
      store.close();
    }
  }
}
