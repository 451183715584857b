package io.tracefold.benchmarks.axon;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.modelling.command.Repository;
import org.axonframework.serialization.json.JacksonSerializer;
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
 * Measures loading one event-sourced aggregate with {@code n} events from a real store: Axon's
 * {@code JdbcEventStorageEngine} on an embedded PostgreSQL (real binaries, one server per fork, a
 * fresh database per application), events and metadata serialised by Axon's {@code
 * JacksonSerializer}. Per invocation: {@code DefaultUnitOfWork.startAndGet(null)}, {@code
 * repository.load(id)}, read the state, roll back, as {@link RehydrationBenchmark} does. Unlike the
 * in-memory store, every load deserialises each event's payload, and metadata only when someone
 * reads it: plain Axon never does, so any provenance that reads an event's {@code traceparent}
 * again on every load pays a JSON parse per event.
 *
 * <ul>
 *   <li>{@code plainAxon} (comparator): {@code DefaultConfigurer}, no tracing;
 *   <li>{@code peer}: traced by Axon's own OpenTelemetry module on the same SDK (always-on sampler,
 *       a span processor that does nothing);
 *   <li>{@code tracefold}: with {@code AxonTracefold}, in the steady state (the first load, in
 *       setup, emitted the lineage of the history and left the in-memory checkpoint that covers
 *       it: later loads read no covered event's metadata); {@code tracefoldAA} is its copy;
 *   <li>{@code baseline}: reading and deserialising the same events from the storage engine,
 *       without Axon's repository and aggregate.
 * </ul>
 *
 * <p>The engine gets one connection per application, handed out again for every statement (a
 * pool of one, as a pool would on a single thread), so connection set-up is not measured.
 *
 * <p>Warmup: a fork compiles the JDBC driver, Jackson and Axon's read path besides the load itself,
 * about 9 s of C2 time for plain Axon and 11.5 s with Tracefold (its spans and the SDK) on a
 * 2-core machine, where the C2 thread competes with the measured thread and the PostgreSQL
 * backend. After 4 s of warmup the C2 thread was still busy 80-100% of the measured time (JMH
 * {@code -prof comp}: 2.0 s plain, 2.7 s Tracefold in 2.5 s of measurement), which showed as
 * Tracefold at 1.3x plain at n = 10 although a load sends the same statements and reads no
 * metadata (see {@code JdbcLoadCostTest}). 15 s of warmup leave the measurement with tens of
 * milliseconds of compilation; check {@code compiler.time.profiled} with {@code -prof comp}.
 *
 * <p>Target: {@code tracefold} at most 1.02x {@code plainAxon} at n = 10 and 1,000.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 30, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 4, time = 400, timeUnit = TimeUnit.MILLISECONDS)
public class JdbcRehydrationBenchmark {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  /** The aggregate's stored history and an application on it; subclasses choose the tracing. */
  @State(Scope.Thread)
  public abstract static class App {

    /** Number of events of the aggregate. */
    @Param({"10", "1000"})
    public int n;

    String orderId;
    Connection connection;
    JdbcEventStorageEngine engine;
    AxonApp app;
    Repository<Order> repository;

    abstract AxonApp.Tracing tracing();

    /** Creates a database with the history of one order and starts the application on it. */
    @Setup(Level.Trial)
    public void start() throws SQLException {
      orderId = "order-" + n;
      connection = newDatabase();
      engine = engine(connection);
      engine.appendEvents(AxonApp.orderEvents(orderId, 0, n, 42));
      app = AxonApp.start(tracing(), engine);
      repository = app.config.repository(Order.class);
      // Fail in setup, not with a misleading score, if the history is not what the score says.
      if (load(this) != (n - 1) + RehydrationBenchmark.expectedChecksum(n)) {
        throw new IllegalStateException("the aggregate did not replay its " + n + " events");
      }
    }

    /** Shuts the application down and closes the connection. */
    @TearDown(Level.Trial)
    public void stop() throws SQLException {
      app.close();
      connection.close();
    }
  }

  /** The application without tracing. */
  public static class Plain extends App {
    @Override
    AxonApp.Tracing tracing() {
      return AxonApp.Tracing.PLAIN;
    }
  }

  /** The application traced by Axon's own OpenTelemetry module (the peer). */
  public static class Peer extends App {
    @Override
    AxonApp.Tracing tracing() {
      return AxonApp.Tracing.PEER;
    }
  }

  /** The application with Tracefold. */
  public static class Traced extends App {
    @Override
    AxonApp.Tracing tracing() {
      return AxonApp.Tracing.TRACEFOLD;
    }
  }

  /** Consumes every stored event of the order, read and deserialised by the engine directly. */
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

  /** Returns the state of the order loaded by the application traced by Axon's own module. */
  @Benchmark
  public long peer(Peer app) {
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

  private static long load(App app) {
    return AxonApp.loadChecksum(app.repository, app.orderId);
  }

  private static synchronized EmbeddedPostgres postgres() {
    if (postgres == null) {
      try {
        postgres = EmbeddedPostgres.start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      EmbeddedPostgres started = postgres;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          started.close();
        } catch (IOException e) {
          // the JVM is exiting anyway
        }
      }));
    }
    return postgres;
  }

  /** Returns a connection to a fresh, empty database of the fork's server. */
  static Connection newDatabase() throws SQLException {
    String name = "bench_" + DATABASES.incrementAndGet();
    try (Connection admin = postgres().getPostgresDatabase().getConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return postgres().getDatabase("postgres", name).getConnection();
  }

  /** Returns an engine whose every statement uses {@code connection} (closing it is a no-op). */
  static JdbcEventStorageEngine engine(Connection connection) {
    Connection shared =
        (Connection) Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close") && method.getParameterCount() == 0) {
                return null;
              }
              try {
                return method.invoke(connection, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
    ConnectionProvider provider = () -> shared;
    JacksonSerializer json =
        JacksonSerializer.builder()
            .objectMapper(new ObjectMapper().setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY))
            .build();
    JdbcEventStorageEngine engine =
        JdbcEventStorageEngine.builder()
            .connectionProvider(provider)
            .transactionManager(NoTransactionManager.INSTANCE)
            .eventSerializer(json)
            .snapshotSerializer(json)
            .build();
    engine.createSchema(PostgresEventTableFactory.INSTANCE);
    return engine;
  }
}
