package io.tracefold.benchmarks.axon;

import java.util.concurrent.TimeUnit;
import org.axonframework.eventhandling.DomainEventMessage;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Measures loading an aggregate from a snapshot plus {@value #AFTER} events written after it, in a
 * real Axon application: per invocation a unit of work, {@code repository.load(id)}, read its
 * state, roll back. Setup writes {@value #HISTORY} events (distinct sampled {@code traceparent}
 * each) to an {@code InMemoryEventStorageEngine}, has the application's own snapshotter snapshot
 * them ({@code config.snapshotter().scheduleSnapshot} in a unit of work), then appends the
 * {@value #AFTER} later events.
 *
 * <ul>
 *   <li>{@code plainAxon} (comparator): no Tracefold; Axon's {@code AggregateSnapshotter} took the
 *       snapshot, so it carries no provenance;
 *   <li>{@code tracefold}: with {@code AxonTracefold} (always-on SDK, span processor that does
 *       nothing); Tracefold's snapshotter took the snapshot, so its metadata carries the sealed
 *       lineage ({@code tracefold.lineage}) and the snapshot span; each load decodes it, links the
 *       snapshot span and the lineage peaks, and parses and links the {@value #AFTER} later events
 *       (fewer than the budget of 128, so they stay pending and are linked on every load). {@code
 *       tracefoldAA} is its copy, whose ratio to it is the noise floor;
 *   <li>{@code baseline}: reading the snapshot and the later events from the storage engine,
 *       without Axon's repository.
 * </ul>
 *
 * <p>The in-memory engine hands the same snapshot object to every load, and Axon replays the later
 * events onto it; {@link Order}'s handlers do constant work, so every load costs the same. No
 * target is set; the ratio is reported.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 400, timeUnit = TimeUnit.MILLISECONDS)
public class SnapshotRehydrationBenchmark {

  /** Events summarised by the snapshot. */
  public static final int HISTORY = 1000;

  /** Events written after the snapshot. */
  public static final int AFTER = 50;

  /** Snapshot metadata key under which Tracefold's snapshotter hands over the lineage. */
  static final String LINEAGE_KEY = "tracefold.lineage";

  /** A snapshotted order and an application on it; subclasses choose the tracing. */
  @State(Scope.Thread)
  public abstract static class App {
    String orderId = "order-1";
    InMemoryEventStorageEngine engine;
    AxonApp app;
    Repository<Order> repository;
    long snapshotSequence;

    abstract AxonApp.Tracing tracing();

    /** Writes the history, snapshots it with the application's snapshotter, writes the rest. */
    @Setup(Level.Trial)
    public void start() {
      engine = new InMemoryEventStorageEngine();
      engine.appendEvents(AxonApp.orderEvents(orderId, 0, HISTORY, 42));
      app = AxonApp.start(tracing(), engine);
      repository = app.config.repository(Order.class);
      DefaultUnitOfWork.startAndGet(null)
          .execute(() -> app.config.snapshotter().scheduleSnapshot(Order.class, orderId));
      DomainEventMessage<?> snapshot =
          engine.readSnapshot(orderId).orElseThrow(() -> new IllegalStateException("no snapshot was taken"));
      snapshotSequence = snapshot.getSequenceNumber();
      boolean provenance = snapshot.getMetaData().containsKey(LINEAGE_KEY);
      if (snapshotSequence != HISTORY - 1 || provenance != (tracing() == AxonApp.Tracing.TRACEFOLD)) {
        throw new IllegalStateException(
            "unexpected snapshot: sequence " + snapshotSequence + ", provenance " + provenance);
      }
      engine.appendEvents(AxonApp.orderEvents(orderId, HISTORY, HISTORY + AFTER, 43));
      load(this);
    }

    /** Shuts the application down. */
    @TearDown(Level.Trial)
    public void stop() {
      app.close();
    }
  }

  /** The application without Tracefold. */
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

  /** Consumes the snapshot and the events after it, read from the engine directly. */
  @Benchmark
  public void baseline(Plain app, Blackhole blackhole) {
    blackhole.consume(app.engine.readSnapshot(app.orderId).orElseThrow().getPayload());
    DomainEventStream stream = app.engine.readEvents(app.orderId, app.snapshotSequence + 1);
    while (stream.hasNext()) {
      blackhole.consume(stream.next().getPayload());
    }
  }

  /** Returns the state of the order loaded by plain Axon from its snapshot. */
  @Benchmark
  public long plainAxon(Plain app) {
    return load(app);
  }

  /** Returns the state of the order loaded with Tracefold from its snapshot. */
  @Benchmark
  public long tracefold(Traced app) {
    return load(app);
  }

  /** A copy of {@link #tracefold(Traced)}: the A/A pair whose ratio is the noise floor. */
  @Benchmark
  public long tracefoldAA(Traced app) {
    return load(app);
  }

  private static long load(App app) {
    return AxonApp.loadChecksum(app.repository, app.orderId);
  }
}
