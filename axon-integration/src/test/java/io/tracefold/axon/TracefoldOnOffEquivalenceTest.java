package io.tracefold.axon;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.trace.data.SpanData;
import io.tracefold.core.internal.W3CTraceContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Tracefold never changes what the application does: a random sequence of commands and loads, run
 * against the same Axon application with and without Tracefold (each on its own PostgreSQL
 * database, snapshots at a small threshold, a subscribing projection), has the same outcome for
 * every command, the same aggregate states, the same stored events and snapshots (but for
 * Tracefold's own metadata) and the same read model.
 */
class TracefoldOnOffEquivalenceTest {

  private static final List<String> PLACEABLE = List.of("o-1", "o-2", "o-3");
  /** Never placed: every command and load of it fails (AggregateNotFound). */
  private static final String NEVER_PLACED = "o-ghost";
  private static final List<String> ALL_IDS = List.of("o-1", "o-2", "o-3", NEVER_PLACED);

  /** The metadata keys Tracefold writes into events. */
  private static final Set<String> TRACE_KEYS =
      Set.of(W3CTraceContext.TRACEPARENT, W3CTraceContext.TRACESTATE, "baggage");
  /** The prefix of the snapshot metadata keys Tracefold writes (provenance); never in events. */
  private static final String TRACEFOLD_PREFIX = "tracefold.";
  /** Axon's own metadata whose values are random message identifiers (MessageOriginProvider). */
  private static final Set<String> AXON_MESSAGE_ID_KEYS = Set.of("traceId", "correlationId");

  private static final String REHYDRATION = "Repository.initializeState(Order)";

  private static DataSource plainDb;
  private static DataSource tracedDb;

  sealed interface Step permits Place, Add, Note, Load {}

  record Place(String orderId) implements Step {}

  record Add(String orderId, int count) implements Step {}

  record Note(String orderId, String note) implements Step {}

  record Load(String orderId) implements Step {}

  @Property(tries = 100)
  void sameCommands_withAndWithoutTracefold_sameOutcomesStateEventsSnapshotsAndReadModel(
      @ForAll("steps") List<Step> steps, @ForAll @IntRange(min = 5, max = 20) int snapshotThreshold)
      throws SQLException {
    Run plain = run(steps, snapshotThreshold, false, database(false));
    Run traced = run(steps, snapshotThreshold, true, database(true));

    assertThat(traced.outcomes).as("outcome of every step").isEqualTo(plain.outcomes);
    assertThat(traced.finalStates).as("final aggregate states").isEqualTo(plain.finalStates);
    assertThat(traced.events).as("stored events (without Tracefold's metadata)").isEqualTo(plain.events);
    assertThat(traced.snapshots).as("latest snapshots (without Tracefold's metadata)").isEqualTo(plain.snapshots);
    assertThat(traced.readModel).as("read model").isEqualTo(plain.readModel);
    assertThat(traced.handled).as("events handled by the projection").isEqualTo(plain.handled);

    // Not vacuous: the plain app wrote no trace context and emitted no Tracefold spans ...
    assertThat(plain.traceKeysSeen).isZero();
    assertThat(plain.spans).noneMatch(s -> s.getName().startsWith("Repository."));
    // ... while the traced app stamped every event and linked its rehydrations and projection updates.
    assertThat(traced.tracedEvents).isEqualTo(traced.eventCount).isPositive();
    assertThat(traced.spans)
        .filteredOn(s -> s.getName().equals(REHYDRATION))
        .anySatisfy(s -> assertThat(s.getLinks()).isNotEmpty());
    assertThat(traced.spans)
        .filteredOn(s -> s.getName().equals(AxonProjectionTest.UPDATE))
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.getLinks()).isNotEmpty());

    // ... and its snapshots carried provenance, which the comparison above left out.
    assertThat(traced.snapshotsWithProvenance).isEqualTo(traced.snapshots.size());

    // The interesting cases do occur: snapshots, duplicate orders, commands to missing orders.
    Statistics.label("snapshots").collect(plain.snapshots.isEmpty() ? "none" : "some");
    Statistics.label("snapshots").coverage(c -> c.check("some").percentage(p -> p >= 25));
    boolean duplicate = plain.outcomes.stream().anyMatch(o -> o.startsWith("Place[") && o.contains(" -> failed"));
    Statistics.label("duplicate PlaceOrder failed").collect(duplicate);
    Statistics.label("duplicate PlaceOrder failed").coverage(c -> c.check(true).percentage(p -> p >= 25));
    boolean notFound = plain.outcomes.stream().anyMatch(o -> o.contains("AggregateNotFoundException"));
    Statistics.label("step on a missing order failed").collect(notFound);
    Statistics.label("step on a missing order failed").coverage(c -> c.check(true).percentage(p -> p >= 25));
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<String> placeable = Arbitraries.of(PLACEABLE);
    Arbitrary<String> any = Arbitraries.of(ALL_IDS);
    Arbitrary<String> notes = Arbitraries.strings().withCharRange('a', 'z').withChars(' ', 'é', '✓').ofMaxLength(16);
    Arbitrary<Step> step =
        Arbitraries.frequencyOf(
            Tuple.of(3, placeable.map(Place::new)),
            Tuple.of(5, Combinators.combine(any, Arbitraries.integers().between(0, 50)).as(Add::new)),
            Tuple.of(2, Combinators.combine(any, notes).as(Note::new)),
            Tuple.of(2, any.map(Load::new)));
    // Always at least one order, so there is history to rehydrate.
    Arbitrary<List<Step>> rest = step.list().ofMaxSize(40).withSizeDistribution(RandomDistribution.uniform());
    return Combinators.combine(placeable, rest)
        .as((first, others) -> {
          List<Step> all = new ArrayList<>();
          all.add(new Place(first));
          all.addAll(others);
          return all;
        });
  }

  /** What one application did and holds after the steps. */
  private static final class Run {
    final List<String> outcomes = new ArrayList<>();
    final Map<String, String> finalStates = new TreeMap<>();
    final List<StoredEvent> events = new ArrayList<>();
    final Map<String, StoredSnapshot> snapshots = new TreeMap<>();
    Map<String, Integer> readModel;
    int handled;
    List<SpanData> spans;
    int eventCount;
    int tracedEvents;
    int traceKeysSeen;
    int snapshotsWithProvenance;
  }

  record StoredEvent(
      String aggregateId,
      long sequenceNumber,
      String aggregateType,
      String payloadType,
      Object payload,
      Map<String, Object> metaData) {}

  record StoredSnapshot(
      long sequenceNumber,
      String aggregateType,
      String payloadType,
      String orderId,
      int items,
      long checksum,
      Map<String, Object> metaData) {}

  private static Run run(List<Step> steps, int snapshotThreshold, boolean traced, DataSource db) {
    JdbcEventStorageEngine engine = TestPostgres.engine(db);
    OrderSummaryProjection projection = new OrderSummaryProjection();
    Run run = new Run();
    try (AxonTestApp app =
        AxonTestApp.start(
            engine,
            traced,
            snapshotThreshold,
            AxonProjectionTest.withProjection(projection, AxonProjectionTest.Processor.SUBSCRIBING, 10))) {
      for (Step step : steps) {
        run.outcomes.add(step + " -> " + execute(app, step));
      }
      for (String id : ALL_IDS) {
        run.finalStates.put(id, execute(app, new Load(id)));
      }
      run.readModel = new TreeMap<>(projection.items);
      run.handled = projection.handled;
      run.spans = app.spans();
    }
    // Axon's message ids differ from run to run: name them by first appearance, which keeps which
    // events share a correlation (and trace) id.
    Map<Object, String> messageIds = new HashMap<>();
    for (String id : ALL_IDS) {
      for (DomainEventMessage<?> event : StoredEvents.of(engine, id)) {
        run.eventCount++;
        if (event.getMetaData().containsKey(W3CTraceContext.TRACEPARENT)) {
          run.tracedEvents++;
        }
        run.traceKeysSeen += (int) event.getMetaData().keySet().stream().filter(TRACE_KEYS::contains).count();
        run.events.add(
            new StoredEvent(
                event.getAggregateIdentifier(),
                event.getSequenceNumber(),
                event.getType(),
                event.getPayloadType().getName(),
                event.getPayload(),
                withoutTracefold(event.getMetaData(), false, messageIds)));
      }
      Optional<DomainEventMessage<?>> snapshot = engine.readSnapshot(id);
      if (snapshot.isPresent()) {
        DomainEventMessage<?> s = snapshot.get();
        Order order = (Order) s.getPayload();
        if (s.getMetaData().containsKey(ReconstructionRecorder.LINEAGE_KEY)) {
          run.snapshotsWithProvenance++;
        }
        run.snapshots.put(
            id,
            new StoredSnapshot(
                s.getSequenceNumber(),
                s.getType(),
                s.getPayloadType().getName(),
                order.getOrderId(),
                order.getItems(),
                order.getChecksum(),
                withoutTracefold(s.getMetaData(), true, messageIds)));
      }
    }
    return run;
  }

  /** Runs one step; returns "ok" (with the state, for loads) or the failure's exception chain. */
  private static String execute(AxonTestApp app, Step step) {
    try {
      if (step instanceof Place place) {
        app.send(new Order.PlaceOrder(place.orderId()));
      } else if (step instanceof Add add) {
        app.send(new Order.AddItems(add.orderId(), add.count()));
      } else if (step instanceof Note note) {
        app.send(new Order.Annotate(note.orderId(), note.note()));
      } else {
        Order order = app.load(((Load) step).orderId());
        return "ok " + order.getOrderId() + " items=" + order.getItems() + " checksum=" + order.getChecksum();
      }
      return "ok";
    } catch (RuntimeException e) {
      return "failed " + exceptionChain(e);
    }
  }

  private static String exceptionChain(Throwable e) {
    List<String> chain = new ArrayList<>();
    for (Throwable t = e; t != null && chain.size() < 10; t = t.getCause() == t ? null : t.getCause()) {
      chain.add(t.getClass().getName());
    }
    return String.join(" <- ", chain);
  }

  /**
   * Returns the metadata without the trace context (and, for a snapshot, without Tracefold's
   * provenance keys); Axon's message ids renamed by first appearance.
   */
  private static Map<String, Object> withoutTracefold(
      Map<String, ?> metaData, boolean snapshot, Map<Object, String> messageIds) {
    Map<String, Object> kept = new TreeMap<>();
    metaData.forEach((key, value) -> {
      if (TRACE_KEYS.contains(key) || (snapshot && key.startsWith(TRACEFOLD_PREFIX))) {
        return;
      }
      kept.put(
          key,
          AXON_MESSAGE_ID_KEYS.contains(key)
              ? messageIds.computeIfAbsent(value, v -> "message#" + messageIds.size())
              : value);
    });
    return kept;
  }

  /** One database per app, reused by every try and emptied before each. */
  private static synchronized DataSource database(boolean traced) throws SQLException {
    if (plainDb == null) {
      // One connection each, kept open (autocommit, one thread per app): a connection per storage
      // call, as the plain DataSource gives, would spend most of the run on Postgres backends.
      plainDb = new SingleConnectionDataSource(TestPostgres.newDatabase().getConnection(), true);
      tracedDb = new SingleConnectionDataSource(TestPostgres.newDatabase().getConnection(), true);
      TestPostgres.engine(plainDb);
      TestPostgres.engine(tracedDb);
    }
    DataSource db = traced ? tracedDb : plainDb;
    try (Connection connection = db.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("TRUNCATE " + TestPostgres.SCHEMA.domainEventTable() + ", "
          + TestPostgres.SCHEMA.snapshotTable() + " RESTART IDENTITY");
    }
    return db;
  }
}
