package io.tracefold.benchmarks.axon;

import java.util.concurrent.TimeUnit;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.Repository;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Measures loading one event-sourced aggregate with {@code n} events in a real Axon application:
 * per invocation {@code DefaultUnitOfWork.startAndGet(null)}, {@code repository.load(id)}, read
 * its state, roll back. The {@code InMemoryEventStorageEngine} is filled in setup with the events
 * a traced application writes (distinct sampled {@code traceparent} per event, Axon's correlation
 * metadata); it hands out the stored objects, so no deserialisation is measured, which makes the
 * ratios an upper bound for a real store.
 *
 * <ul>
 *   <li>{@code plainAxon} (comparator): {@code DefaultConfigurer}, no tracing (no-op spans);
 *   <li>{@code tracefold}: the same with {@code AxonTracefold}, on the SDK with the always-on
 *       sampler and a span processor that does nothing; {@code tracefoldAA} is its copy, whose
 *       ratio to it is the noise floor. The first load (in warmup) emits the lineage of the whole
 *       history; later ones reuse Tracefold's in-memory checkpoint, the steady state of an
 *       application that loads the aggregate for every command, and offer only the events after
 *       it ({@code n mod 128} here);
 *   <li>{@code peer}: the same application traced by Axon's own OpenTelemetry module ({@code
 *       axon-tracing-opentelemetry}) on the same SDK: its three spans of a load, no links. What a
 *       user who already traces with Axon pays today, so {@code tracefold / peer} is the price of
 *       provenance;
 *   <li>{@code naive}: the same SDK and Axon spans, linking by hand: propagator extract and {@code
 *       Span.current().addLink} per replayed event ({@link NaiveLinkingMetaModelFactory}); above
 *       128 the SDK drops the links, so it does less and loses provenance;
 *   <li>{@code baseline}: reading the same events from the storage engine, without Axon's
 *       repository and aggregate: the share of a load that is the store.
 * </ul>
 *
 * <p>Targets: {@code tracefold} at most 1.10x {@code peer} at n = 10 and 1.02x at n = 1,000 and
 * 10,000; at most 1.5x {@code plainAxon} at n = 10 and 1.10x at 1,000 and 10,000; B/op at most 1 KB
 * above {@code peer} at n = 10 and 4 KB at 1,000.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 400, timeUnit = TimeUnit.MILLISECONDS)
public class RehydrationBenchmark {

  /** The aggregate's stored history and an application on it; subclasses choose the tracing. */
  @State(Scope.Thread)
  public abstract static class App {

    /** Number of events of the aggregate. */
    @Param({"10", "1000", "10000"})
    public int n;

    String orderId;
    InMemoryEventStorageEngine engine;
    AxonApp app;
    Repository<Order> repository;

    abstract AxonApp.Tracing tracing();

    /** Fills the storage engine with the history of one order and starts the application on it. */
    @Setup(Level.Trial)
    public void start() {
      orderId = "order-" + n;
      engine = new InMemoryEventStorageEngine();
      engine.appendEvents(AxonApp.orderEvents(orderId, 0, n, 42));
      app = AxonApp.start(tracing(), engine);
      repository = app.config.repository(Order.class);
      // Fail in setup, not with a misleading score, if the history is not what the score says.
      if (load(this) != (n - 1) + expectedChecksum(n)) {
        throw new IllegalStateException("the aggregate did not replay its " + n + " events");
      }
    }

    /** Shuts the application down. */
    @TearDown(Level.Trial)
    public void stop() {
      app.close();
    }
  }

  /** The application without tracing. */
  public static class Plain extends App {
    @Override
    AxonApp.Tracing tracing() {
      return AxonApp.Tracing.PLAIN;
    }
  }

  /** The application with Tracefold. */
  public static class Traced extends App {
    @Override
    AxonApp.Tracing tracing() {
      return AxonApp.Tracing.TRACEFOLD;
    }
  }

  /** The application traced by Axon's own OpenTelemetry module (the peer). */
  public static class Peer extends App {
    @Override
    AxonApp.Tracing tracing() {
      return AxonApp.Tracing.PEER;
    }
  }

  /** The application with Axon spans and hand-written linking. */
  public static class Naive extends App {
    @Override
    AxonApp.Tracing tracing() {
      return AxonApp.Tracing.NAIVE;
    }
  }

  /** Consumes every stored event of the order, read from the engine directly. */
  @Benchmark
  public void baseline(Plain app, Blackhole blackhole) {
    DomainEventStream stream = app.engine.readEvents(app.orderId, 0);
    while (stream.hasNext()) {
      blackhole.consume(stream.next().getPayload());
    }
  }

  /** Returns the state of the order loaded by plain Axon. */
  @Benchmark
  public long plainAxon(Plain app) {
    return load(app);
  }

  /** Returns the state of the order loaded with Tracefold. */
  @Benchmark
  public long tracefold(Traced app) {
    return load(app);
  }

  /** A copy of {@link #tracefold(Traced)}: the A/A pair whose ratio is the noise floor. */
  @Benchmark
  public long tracefoldAA(Traced app) {
    return load(app);
  }

  /** Returns the state of the order loaded by the application traced by Axon's own module. */
  @Benchmark
  public long peer(Peer app) {
    return load(app);
  }

  /** Returns the state of the order loaded with hand-written linking. */
  @Benchmark
  public long naive(Naive app) {
    return load(app);
  }

  /** Returns the checksum {@link Order} folds from items 1 to {@code n - 1}. */
  static long expectedChecksum(int n) {
    long checksum = 0;
    for (int item = 1; item < n; item++) {
      checksum = checksum * 31 + item;
    }
    return checksum;
  }

  private static long load(App app) {
    return AxonApp.loadChecksum(app.repository, app.orderId);
  }
}
