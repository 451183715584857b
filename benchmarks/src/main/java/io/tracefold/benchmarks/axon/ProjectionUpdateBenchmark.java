package io.tracefold.benchmarks.axon;

import io.tracefold.axon.EntityLineage;
import io.tracefold.axon.InMemoryProjectionLineageStore;
import io.tracefold.benchmarks.Inputs;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures one projection update in a real Axon application: per invocation {@code
 * eventBus.publish} of one {@code ItemAdded} event (its own sampled {@code traceparent} and
 * identifier) to a subscribing processor whose handler updates the order's summary, on the
 * publishing thread. The event store is a {@link DiscardingEventStorageEngine}.
 *
 * <ul>
 *   <li>{@code plainAxon} (comparator): {@link PlainOrderSummaryProjection}, no Tracefold;
 *   <li>{@code tracefold}: {@link TracedOrderSummaryProjection} ({@code @TracedProjection}) with
 *       {@code AxonTracefold} (always-on SDK, span processor that does nothing) and an {@code
 *       InMemoryProjectionLineageStore}: the root process span linked to the event, taken over
 *       as the {@code Projection.update} span, which loads the order's lineage, links the forest
 *       peaks, the tail node and the pending contributors after it (fewer than 8; every 8th update
 *       emits a new tail node), and stores the new lineage. {@code tracefoldAA} is its copy, whose
 *       ratio to it is the noise floor;
 *   <li>{@code peer}: {@link PlainOrderSummaryProjection} in an application traced by Axon's own
 *       OpenTelemetry module on the same SDK: the processor's span per event (a child of the
 *       event's context), no lineage;
 *   <li>{@code baseline}: the projection's handler work called directly, without Axon.
 * </ul>
 *
 * <p>The entities: an update's cost depends on the entity's lineage (pending contributors, 0 to
 * 127, are under the tail node or linked directly; every 8th update emits a tail node, every
 * 128th a full node), and hundreds of
 * thousands of updates of one entity would turn it into an entity with that many events, whose
 * cost drifts during the run. So setup publishes a real history for {@value #TEMPLATES} template
 * orders, with {@value #PRIOR} + t events for template t (a few hundred each, every pending count
 * once), and each of the {@value #ENTITIES} measured orders starts from one template's lineage,
 * restored before every iteration. The measured events visit the orders in turn ({@value #ROUNDS}
 * distinct events per order), so pending counts are spread evenly over the run and no state grows
 * from one iteration to the next (an iteration shorter than {@value #ROUNDS} rounds of all orders
 * sees no event twice).
 *
 * <p>Target: {@code tracefold} at most 2.0x {@code plainAxon}; the ratio to {@code peer} is reported.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 400, timeUnit = TimeUnit.MILLISECONDS)
public class ProjectionUpdateBenchmark {

  /** Events of template order 0; template t has {@code PRIOR + t}. */
  public static final int PRIOR = 300;

  /** Template orders, one per pending count below the budget of 128. */
  public static final int TEMPLATES = 128;

  /** Measured orders, each starting from the lineage of template {@code i % TEMPLATES}. */
  public static final int ENTITIES = 256;

  /** Distinct measured events per order; ENTITIES * ROUNDS is a power of two. */
  public static final int ROUNDS = 256;

  private static final int EVENTS = ENTITIES * ROUNDS;

  /** An application with the projection; subclasses choose the tracing. */
  @State(Scope.Thread)
  public abstract static class App {
    AxonApp app;
    EventBus eventBus;
    OrderSummaries summaries;
    DomainEventMessage<?>[] events;
    EntityLineage[] initialLineages;
    int next;

    abstract AxonApp.Tracing tracing();

    abstract Object projection();

    abstract OrderSummaries summariesOf(Object projection);

    /** Starts the application, publishes the templates' histories, precomputes the events. */
    @Setup(Level.Trial)
    public void start() {
      Object projection = projection();
      summaries = summariesOf(projection);
      app =
          AxonApp.start(
              tracing(),
              new DiscardingEventStorageEngine(),
              c -> c.eventProcessing(
                  ep -> ep.registerEventHandler(config -> projection)
                      .registerSubscribingEventProcessor(PlainOrderSummaryProjection.GROUP)));
      eventBus = app.config.eventBus();
      for (int t = 0; t < TEMPLATES; t++) {
        for (DomainEventMessage<?> event : AxonApp.orderEvents(template(t), 0, PRIOR + t, 1000 + t)) {
          eventBus.publish(event);
        }
        if (summaries.items(template(t)) != PRIOR + t - 1) {
          throw new IllegalStateException("the projection did not handle the history of " + template(t));
        }
      }
      InMemoryProjectionLineageStore store = app.lineageStore;
      if (store != null) {
        initialLineages = new EntityLineage[ENTITIES];
        for (int e = 0; e < ENTITIES; e++) {
          int t = e % TEMPLATES;
          EntityLineage lineage = store.load(TracedOrderSummaryProjection.class.getName(), template(t));
          if (lineage == null || lineage.lineage().contributors() != PRIOR + t) {
            throw new IllegalStateException("no lineage of " + (PRIOR + t) + " contributors: " + lineage);
          }
          initialLineages[e] = lineage;
        }
      }
      events = measuredEvents();
    }

    /** Restores every measured order's lineage to its template's, so no iteration sees a longer history. */
    @Setup(Level.Iteration)
    public void restore() {
      InMemoryProjectionLineageStore store = app.lineageStore;
      if (store != null) {
        for (int e = 0; e < ENTITIES; e++) {
          String projection = TracedOrderSummaryProjection.class.getName();
          EntityLineage current = store.load(projection, entity(e));
          if (!store.save(projection, entity(e), current, initialLineages[e].lineage())) {
            throw new IllegalStateException("could not restore the lineage of " + entity(e));
          }
        }
      }
      next = 0;
    }

    DomainEventMessage<?> nextEvent() {
      int i = next;
      next = (i + 1) & (EVENTS - 1);
      return events[i];
    }

    /** Shuts the application down. */
    @TearDown(Level.Trial)
    public void stop() {
      app.close();
    }
  }

  /** The application with the plain projection and no tracing. */
  public static class Plain extends App {
    @Override
    AxonApp.Tracing tracing() {
      return AxonApp.Tracing.PLAIN;
    }

    @Override
    Object projection() {
      return new PlainOrderSummaryProjection();
    }

    @Override
    OrderSummaries summariesOf(Object projection) {
      return ((PlainOrderSummaryProjection) projection).summaries;
    }
  }

  /** The plain projection in an application traced by Axon's own OpenTelemetry module (the peer). */
  public static class Peer extends Plain {
    @Override
    AxonApp.Tracing tracing() {
      return AxonApp.Tracing.PEER;
    }
  }

  /** The application with the traced projection and Tracefold. */
  public static class Traced extends App {
    @Override
    AxonApp.Tracing tracing() {
      return AxonApp.Tracing.TRACEFOLD;
    }

    @Override
    Object projection() {
      return new TracedOrderSummaryProjection();
    }

    @Override
    OrderSummaries summariesOf(Object projection) {
      return ((TracedOrderSummaryProjection) projection).summaries;
    }
  }

  /** Returns the order's item count after the handler's work alone, called directly. */
  @Benchmark
  public long baseline(Plain app) {
    Order.ItemAdded event = (Order.ItemAdded) app.nextEvent().getPayload();
    app.summaries.itemAdded(event);
    return app.summaries.items(event.orderId());
  }

  /** Returns the order's item count after one event published to the plain projection. */
  @Benchmark
  public long plainAxon(Plain app) {
    return publish(app);
  }

  /** Returns the order's item count after one event published to the traced projection. */
  @Benchmark
  public long tracefold(Traced app) {
    return publish(app);
  }

  /** Returns the order's item count after one event published to the projection traced by Axon's module. */
  @Benchmark
  public long peer(Peer app) {
    return publish(app);
  }

  /** A copy of {@link #tracefold(Traced)}: the A/A pair whose ratio is the noise floor. */
  @Benchmark
  public long tracefoldAA(Traced app) {
    return publish(app);
  }

  private static long publish(App app) {
    DomainEventMessage<?> event = app.nextEvent();
    app.eventBus.publish(event);
    return app.summaries.items(event.getAggregateIdentifier());
  }

  static String template(int t) {
    return "template-" + t;
  }

  static String entity(int e) {
    return "order-" + e;
  }

  /** Returns the measured events, round by round: in each round one new event per order. */
  static DomainEventMessage<?>[] measuredEvents() {
    String[] traceparents = Inputs.distinctTraceparents(EVENTS, 7);
    SplittableRandom random = new SplittableRandom(11);
    DomainEventMessage<?>[] events = new DomainEventMessage<?>[EVENTS];
    for (int i = 0; i < EVENTS; i++) {
      int e = i % ENTITIES;
      int round = i / ENTITIES;
      int template = e % TEMPLATES;
      long sequence = PRIOR + template + round;
      String commandId = new UUID(random.nextLong(), random.nextLong()).toString();
      Map<String, Object> metaData = new HashMap<>();
      metaData.put("traceId", commandId);
      metaData.put("correlationId", commandId);
      metaData.put("traceparent", traceparents[i]);
      events[i] =
          new GenericDomainEventMessage<>(
              "Order", entity(e), sequence, new Order.ItemAdded(entity(e), (int) sequence), metaData);
    }
    return events;
  }
}
