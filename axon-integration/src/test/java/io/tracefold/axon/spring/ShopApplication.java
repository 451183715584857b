package io.tracefold.axon.spring;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.tracefold.axon.StoredEvents;
import io.tracefold.core.TracefoldAttributes;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A Spring Boot application of the kind a Tracefold user has: Axon's starter auto-configuration,
 * an in-memory event store, an OpenTelemetry SDK bean exporting to memory, {@link ShopOrder} and
 * {@link ShopOrderSummary}; every auto-configuration on the class path is read from its imports
 * file, Tracefold's included. Plus helpers that drive it as a client would.
 */
final class ShopApplication {

  /** Properties every test starts with: no Axon Server, a serializer on our class path. */
  static final String[] PROPERTIES = {
    "axon.axonserver.enabled=false",
    "axon.update-check.disabled=true",
    "axon.serializer.general=jackson",
    "axon.eventhandling.processors." + ShopOrderSummary.GROUP + ".mode=subscribing",
    // Actuator is on the test class path (for the provenance endpoint): its own OpenTelemetry SDK
    // bean would stand in for "no OpenTelemetry"; tests that want Boot's bean declare one.
    "spring.autoconfigure.exclude=" + ShopApplication.BOOT_OPEN_TELEMETRY
        + ",org.springframework.boot.actuate.autoconfigure.logging.OpenTelemetryLoggingAutoConfiguration"
  };

  /**
   * Spring Boot Actuator's OpenTelemetry auto-configuration (3.2 to 3.5), excluded with the logging
   * one (3.4+) that needs its {@code Resource} bean.
   */
  static final String BOOT_OPEN_TELEMETRY =
      "org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration";

  private ShopApplication() {}

  /** Returns a runner of the application without an OpenTelemetry bean. */
  static ApplicationContextRunner withoutOpenTelemetry() {
    return new ApplicationContextRunner().withUserConfiguration(Axon.class).withPropertyValues(PROPERTIES);
  }

  /** Returns a runner of the whole application. */
  static ApplicationContextRunner runner() {
    return withoutOpenTelemetry().withUserConfiguration(Telemetry.class);
  }

  /** The Axon part of the application. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import({ShopOrder.class, ShopOrderSummary.class})
  static class Axon {
    @Bean
    InMemoryEventStorageEngine eventStorageEngine() {
      return new InMemoryEventStorageEngine();
    }

    @Bean(ShopOrder.SNAPSHOT_TRIGGER)
    SnapshotTriggerDefinition shopOrderSnapshotTrigger(
        Snapshotter snapshotter, @Value("${test.snapshot-threshold:1000000}") int threshold) {
      return new EventCountSnapshotTriggerDefinition(snapshotter, threshold);
    }
  }

  /** The application's OpenTelemetry: the SDK, exporting to memory. */
  @Configuration(proxyBeanMethods = false)
  static class Telemetry {
    @Bean
    InMemorySpanExporter spanExporter() {
      return InMemorySpanExporter.create();
    }

    @Bean
    OpenTelemetrySdk openTelemetry(InMemorySpanExporter exporter) {
      return OpenTelemetrySdk.builder()
          .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
          .build();
    }
  }

  /** Drives a started application as its clients would. */
  static final class Client {
    private final ApplicationContext context;
    private final Tracer tracer;

    Client(ApplicationContext context) {
      this.context = context;
      this.tracer = context.getBeanProvider(OpenTelemetry.class).getIfAvailable(OpenTelemetry::noop).getTracer("test-client");
    }

    /** Sends a command in a new root trace; returns that trace's id. */
    String send(Object command) {
      Span client = tracer.spanBuilder("client.send").setNoParent().startSpan();
      try (Scope ignored = client.makeCurrent()) {
        context.getBean(CommandGateway.class).sendAndWait(command);
      } finally {
        client.end();
      }
      return client.getSpanContext().getTraceId();
    }

    /** Loads the order in a new root trace; returns the number of its items. */
    @SuppressWarnings("unchecked")
    int load(String orderId) {
      Repository<ShopOrder> repository = context.getBean("shopOrderRepository", Repository.class);
      Span client = tracer.spanBuilder("client.load").setNoParent().startSpan();
      try (Scope ignored = client.makeCurrent()) {
        return DefaultUnitOfWork.startAndGet(null)
            .executeWithResult(() -> repository.load(orderId).invoke(ShopOrder::getItems))
            .getPayload();
      } finally {
        client.end();
      }
    }

    List<SpanData> spans() {
      return context.getBean(InMemorySpanExporter.class).getFinishedSpanItems();
    }

    /** Returns the latest exported span with this name prefix about this entity. */
    SpanData latest(String namePrefix, String entityId) {
      return latest(s -> s.getName().startsWith(namePrefix)
          && entityId.equals(s.getAttributes().get(TracefoldAttributes.ENTITY_ID)), namePrefix + " of " + entityId);
    }

    SpanData latest(Predicate<SpanData> filter, String description) {
      List<SpanData> spans = spans();
      for (int i = spans.size() - 1; i >= 0; i--) {
        if (filter.test(spans.get(i))) {
          return spans.get(i);
        }
      }
      throw new AssertionError("no span: " + description);
    }

    /** Returns the stored events of the order. */
    List<DomainEventMessage<?>> storedEvents(String orderId) {
      return StoredEvents.of(context.getBean(InMemoryEventStorageEngine.class), orderId);
    }

    /** Returns the graph keys of the spans named by the stored events' {@code traceparent}s. */
    Set<String> eventSpanKeys(String orderId) {
      return StoredEvents.spanKeys(context.getBean(InMemoryEventStorageEngine.class), orderId);
    }
  }
}
