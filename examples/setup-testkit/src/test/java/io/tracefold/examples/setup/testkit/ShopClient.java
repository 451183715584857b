package io.tracefold.examples.setup.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tracefold.axon.AxonTracefold;
import io.tracefold.core.TracefoldAttributes;
import io.tracefold.core.testing.ProvenanceGraph;
import io.tracefold.examples.setup.shop.Cart;
import io.tracefold.examples.setup.shop.CartSummaries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.springframework.context.ApplicationContext;

/** Drives a started shop application as its clients would, and reads back what it stored and exported. */
public final class ShopClient {

  /** Runs a client call in the set-up's own root span (what an HTTP server span would be). */
  @FunctionalInterface
  public interface RootSpan {
    /** Runs {@code action} inside a new root span named {@code name}. */
    void run(String name, Runnable action);
  }

  private static final TextMapGetter<Map<String, ?>> METADATA =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, ?> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, ?> carrier, String key) {
          Object value = carrier == null ? null : carrier.get(key);
          return value instanceof String ? (String) value : null;
        }
      };

  /** Name of the root span of each command a client sends. */
  public static final String SEND = "shop.send";

  private final ApplicationContext context;
  private final RootSpan rootSpan;
  private final Supplier<List<SpanData>> exported;

  /**
   * Creates a client of a started application.
   *
   * @param context the started application
   * @param rootSpan how a client call starts its trace
   * @param exported returns every span exported so far (flushing first where the set-up batches)
   */
  public ShopClient(ApplicationContext context, RootSpan rootSpan, Supplier<List<SpanData>> exported) {
    this.context = context;
    this.rootSpan = rootSpan;
    this.exported = exported;
  }

  /**
   * Returns a client of an application whose only {@code OpenTelemetry} bean is an SDK exporting to
   * an {@link InMemorySpanExporter} bean, starting its root spans with the OpenTelemetry API.
   */
  public static ShopClient inMemory(ApplicationContext context) {
    return inMemory(context, openTelemetryRoot(context.getBean(OpenTelemetry.class)));
  }

  /**
   * Returns a client of an application whose only {@code OpenTelemetry} bean is an SDK exporting to
   * an {@link InMemorySpanExporter} bean (directly or through a batch processor, flushed before every
   * read), starting its root spans with {@code rootSpan}. Asserts that Tracefold emits through that
   * bean: it is the only one, and Tracefold's module is there.
   */
  public static ShopClient inMemory(ApplicationContext context, RootSpan rootSpan) {
    assertThat(context.getBeansOfType(OpenTelemetry.class)).as("OpenTelemetry beans").hasSize(1);
    assertThat(context.getBeanProvider(AxonTracefold.class).getIfAvailable()).as("Tracefold's module").isNotNull();
    OpenTelemetry openTelemetry = context.getBean(OpenTelemetry.class);
    assertThat(openTelemetry).isInstanceOf(OpenTelemetrySdk.class);
    SdkTracerProvider tracerProvider = ((OpenTelemetrySdk) openTelemetry).getSdkTracerProvider();
    InMemorySpanExporter exporter = context.getBean(InMemorySpanExporter.class);
    return new ShopClient(context, rootSpan, () -> {
      tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
      return exporter.getFinishedSpanItems();
    });
  }

  /** Returns root spans started with the OpenTelemetry API on {@code openTelemetry}. */
  public static RootSpan openTelemetryRoot(OpenTelemetry openTelemetry) {
    return (name, action) -> {
      Span span = openTelemetry.getTracer("shop-client").spanBuilder(name).setNoParent().startSpan();
      try (Scope ignored = span.makeCurrent()) {
        action.run();
      } finally {
        span.end();
      }
    };
  }

  /**
   * Returns {@code key=value} settings as command-line arguments, which override the application's
   * own {@code application.properties} (a builder's default properties would not).
   */
  public static String[] arguments(String... settings) {
    String[] arguments = new String[settings.length];
    for (int i = 0; i < settings.length; i++) {
      arguments[i] = "--" + settings[i];
    }
    return arguments;
  }

  /** Sends a command and waits for its result, in a root span of its own. */
  public void send(Object command) {
    rootSpan.run(SEND, () -> context.getBean(CommandGateway.class).sendAndWait(command));
  }

  /** Loads a cart through its repository, in a root span of its own; returns its items. */
  @SuppressWarnings("unchecked")
  public int load(String cartId) {
    Repository<Cart> repository = context.getBean(Cart.REPOSITORY, Repository.class);
    AtomicInteger items = new AtomicInteger();
    rootSpan.run("shop.load", () -> items.set(DefaultUnitOfWork.startAndGet(null)
        .executeWithResult(() -> repository.load(cartId).invoke(Cart::getItems))
        .getPayload()));
    return items.get();
  }

  /** Waits until the read model counts {@code items} items for the cart. */
  public void awaitReadModel(String cartId, int items) {
    CartSummaries summaries = context.getBean(CartSummaries.class);
    await(() -> summaries.items(cartId) == items, "read model of " + cartId + " at " + items + " items, is "
        + summaries.items(cartId));
  }

  /** Waits until an exported span satisfies {@code condition}; returns it. */
  public SpanData awaitSpan(String namePrefix, String entityId, long contributors) {
    SpanData[] found = new SpanData[1];
    await(() -> {
      for (SpanData span : spans(namePrefix, entityId)) {
        Long c = span.getAttributes().get(TracefoldAttributes.CONTRIBUTORS);
        if (c != null && c == contributors) {
          found[0] = span;
          return true;
        }
      }
      return false;
    }, namePrefix + " of " + entityId + " with " + contributors + " contributors");
    return found[0];
  }

  /** Returns every span exported so far. */
  public List<SpanData> spans() {
    return exported.get();
  }

  /**
   * Returns the version of the OpenTelemetry SDK that exported the spans (their resource's {@code
   * telemetry.sdk.version}): what the set-up's dependency management resolved.
   */
  public String sdkVersion() {
    List<SpanData> spans = spans();
    assertThat(spans).as("exported spans").isNotEmpty();
    return spans.get(0).getResource().getAttribute(AttributeKey.stringKey("telemetry.sdk.version"));
  }

  /** Returns the exported spans whose name starts with {@code namePrefix}, about {@code entityId}. */
  public List<SpanData> spans(String namePrefix, String entityId) {
    List<SpanData> found = new ArrayList<>();
    for (SpanData span : spans()) {
      if (span.getName().startsWith(namePrefix)
          && entityId.equals(span.getAttributes().get(TracefoldAttributes.ENTITY_ID))) {
        found.add(span);
      }
    }
    return found;
  }

  /** Returns the cart's stored events, in sequence order. */
  public List<DomainEventMessage<?>> events(String cartId) {
    List<DomainEventMessage<?>> events = new ArrayList<>();
    DomainEventStream stream = context.getBean(EventStorageEngine.class).readEvents(cartId, 0);
    while (stream.hasNext()) {
      events.add(stream.next());
    }
    return events;
  }

  /**
   * Returns the graph keys ({@link ProvenanceGraph#key}) of the spans named by the cart's stored
   * events' {@code traceparent}, in sequence order.
   *
   * @throws AssertionError if an event carries no valid {@code traceparent}
   */
  public List<String> eventSpanKeys(String cartId) {
    List<String> keys = new ArrayList<>();
    for (SpanContext context : eventSpanContexts(cartId)) {
      keys.add(ProvenanceGraph.key(context));
    }
    return keys;
  }

  /**
   * Returns the span contexts named by the cart's stored events' {@code traceparent} (with their
   * sampled flag), in sequence order, read with OpenTelemetry's own W3C propagator.
   *
   * @throws AssertionError if an event carries no valid {@code traceparent}
   */
  public List<SpanContext> eventSpanContexts(String cartId) {
    List<SpanContext> contexts = new ArrayList<>();
    for (DomainEventMessage<?> event : events(cartId)) {
      SpanContext context = Span.fromContext(W3CTraceContextPropagator.getInstance()
          .extract(Context.root(), event.getMetaData(), METADATA)).getSpanContext();
      if (!context.isValid()) {
        throw new AssertionError("event without a valid traceparent: " + event.getMetaData());
      }
      contexts.add(context);
    }
    return contexts;
  }

  private static void await(BooleanSupplier condition, String description) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + description);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
