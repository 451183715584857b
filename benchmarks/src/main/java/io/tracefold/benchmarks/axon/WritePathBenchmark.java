package io.tracefold.benchmarks.axon;

import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.gateway.CommandGateway;
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
 * Measures the write path in a real Axon application: per invocation {@code
 * commandGateway.sendAndWait} of a command that creates a new {@link Order} applying {@value
 * #EVENTS} events, committed to a {@link DiscardingEventStorageEngine} (appends are dropped, so
 * memory does not grow and no storage is measured). Order ids cycle through {@value #IDS}
 * precomputed values; nothing is stored, so none is ever found again.
 *
 * <ul>
 *   <li>{@code plainAxon} (comparator): {@code DefaultConfigurer}, no tracing;
 *   <li>{@code tracefold}: the same with {@code AxonTracefold} (always-on SDK, span processor that
 *       does nothing): the command's dispatch and handler spans, a publish span and a {@code
 *       traceparent} per event. {@code tracefoldAA} is its copy, whose ratio to it is the noise
 *       floor;
 *   <li>{@code tracefoldNoPublishSpans}: Tracefold with {@code setEventPublishSpans(false)}: the
 *       dispatch and handler spans only, every event carrying the handler span's context;
 *   <li>{@code peer}: the same traced by Axon's own OpenTelemetry module on the same SDK: its
 *       dispatch, handler and publish spans, the context in every event's metadata;
 *   <li>{@code baseline}: the plain application's command bus round trip to a stateless handler
 *       ({@link Ping}), without aggregate or events.
 * </ul>
 *
 * <p>Target: {@code tracefold} at most 0.9x {@code peer} and 1.5x {@code plainAxon}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 400, timeUnit = TimeUnit.MILLISECONDS)
public class WritePathBenchmark {

  /** Events applied by the command: {@code OrderPlaced} and {@code EVENTS - 1} {@code ItemAdded}. */
  public static final int EVENTS = 10;

  // A power of two, so the index wraps with a mask.
  private static final int IDS = 1024;

  /** An application on a discarding store; subclasses choose the tracing. */
  @State(Scope.Thread)
  public abstract static class App {
    AxonApp app;
    CommandGateway gateway;
    String[] orderIds;
    int next;

    abstract AxonApp.Tracing tracing();

    /** Starts the application and precomputes the order ids. */
    @Setup(Level.Trial)
    public void start() {
      app =
          AxonApp.start(
              tracing(), new DiscardingEventStorageEngine(), c -> c.registerCommandHandler(config -> new Ping.Handler()));
      gateway = app.config.commandGateway();
      orderIds = new String[IDS];
      for (int i = 0; i < IDS; i++) {
        orderIds[i] = "order-" + i;
      }
      next = 0;
    }

    String nextOrderId() {
      int i = next;
      next = (i + 1) & (IDS - 1);
      return orderIds[i];
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

  /** The application with Tracefold, events carrying the handler's context (no publish spans). */
  public static class TracedNoPublishSpans extends App {
    @Override
    AxonApp.Tracing tracing() {
      return AxonApp.Tracing.TRACEFOLD_NO_PUBLISH_SPANS;
    }
  }

  /** The application traced by Axon's own OpenTelemetry module (the peer). */
  public static class Peer extends App {
    @Override
    AxonApp.Tracing tracing() {
      return AxonApp.Tracing.PEER;
    }
  }

  /** Returns the handler's result for a command that touches no aggregate. */
  @Benchmark
  public Object baseline(Plain app) {
    return app.gateway.sendAndWait(new Ping(app.nextOrderId()));
  }

  /** Returns the new order's id, created by plain Axon. */
  @Benchmark
  public Object plainAxon(Plain app) {
    return create(app);
  }

  /** Returns the new order's id, created with Tracefold. */
  @Benchmark
  public Object tracefold(Traced app) {
    return create(app);
  }

  /**
   * Returns the new order's id, created with Tracefold set to {@code setEventPublishSpans(false)}:
   * two spans per command instead of twelve.
   */
  @Benchmark
  public Object tracefoldNoPublishSpans(TracedNoPublishSpans app) {
    return create(app);
  }

  /** Returns the new order's id, created by the application traced by Axon's own module. */
  @Benchmark
  public Object peer(Peer app) {
    return create(app);
  }

  /** A copy of {@link #tracefold(Traced)}: the A/A pair whose ratio is the noise floor. */
  @Benchmark
  public Object tracefoldAA(Traced app) {
    return create(app);
  }

  private static Object create(App app) {
    return app.gateway.sendAndWait(new Order.CreateOrder(app.nextOrderId(), EVENTS - 1));
  }
}
