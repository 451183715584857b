package io.tracefold.axon;

import static io.tracefold.core.TracefoldAttributes.CONTEXTS_INVALID;
import static io.tracefold.core.TracefoldAttributes.CONTEXTS_MISSING;
import static io.tracefold.core.TracefoldAttributes.CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.ERRORS;
import static io.tracefold.core.TracefoldAttributes.EVENTS;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPANS;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPAN_NAME;
import static io.tracefold.core.TracefoldAttributes.PROVENANCE_CORRUPT;
import static io.tracefold.core.TracefoldAttributes.SNAPSHOT_SEQUENCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tracefold.core.Lineage;
import io.tracefold.core.internal.ParsedTraceparent;
import io.tracefold.core.internal.W3CTraceContext;
import io.tracefold.core.testing.ProvenanceGraph;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rehydration checks of {@link AxonRehydrationTest}, and snapshots, several nodes and legacy
 * events, on a real PostgreSQL event store: {@link JdbcEventStorageEngine} with Jackson for events
 * and snapshots, one embedded PostgreSQL ({@link TestPostgres}), a fresh database per test.
 */
class AxonPostgresTest {

  private static final String ORDER = "o-1";

  private DataSource db;

  @BeforeEach
  void freshDatabase() throws SQLException {
    db = newDatabase();
  }

  // ---------------------------------------------------------------------------------------------
  // 1. The in-memory checks, on PostgreSQL
  // ---------------------------------------------------------------------------------------------

  @Test
  void rehydration_threeCommandsInSeparateTraces_reachesExactlyTheStoredEventsPublishSpans() throws SQLException {
    try (AxonTestApp app = AxonTestApp.start(engine(db), true, 0)) {
      List<String> traces = new ArrayList<>();
      traces.add(app.send(new Order.PlaceOrder(ORDER)));
      traces.add(app.send(new Order.AddItems(ORDER, 3)));
      traces.add(app.send(new Order.AddItems(ORDER, 3)));

      assertThat(app.load(ORDER).getItems()).isEqualTo(6);

      assertThat(countRows("domain_event_entry")).isEqualTo(7);
      SpanData rehydration = app.lastRehydration(ORDER);
      ProvenanceGraph.Reach reach = app.assertLatestRehydrationReachesAllEvents(ORDER, app.spans());
      assertThat(reach.contributors()).hasSize(7);
      // The contexts read back from PostgreSQL name the exported publish spans of the 3 traces.
      ProvenanceGraph graph = ProvenanceGraph.of(app.spans());
      assertThat(reach.contributorContexts())
          .allSatisfy(c -> assertThat(graph.span(c)).isNotNull()
              .extracting(SpanData::getName).asString().startsWith("EventBus.publishEvent"));
      assertThat(reach.contributorContexts())
          .extracting(SpanContext::getTraceId)
          .containsOnly(traces.toArray(new String[0]))
          .contains(traces.toArray(new String[0]));
      assertThat(rehydration.getAttributes().get(EVENTS)).isEqualTo(7);
      assertThat(rehydration.getAttributes().get(CONTRIBUTORS)).isEqualTo(7);
      assertThat(rehydration.getAttributes().get(CONTEXTS_MISSING)).isNull();
      assertThat(rehydration.getAttributes().get(CONTEXTS_INVALID)).isNull();
      assertThat(rehydration.getLinks()).hasSize(7);
    }
  }

  @Test
  void rehydration_1000Events_reachesAllThroughLineageWithinBudget() {
    try (AxonTestApp app = AxonTestApp.start(engine(db), true, 0)) {
      app.send(new Order.PlaceOrder(ORDER));
      for (int i = 0; i < 10; i++) {
        app.send(new Order.AddItems(ORDER, 100));
      }

      assertThat(app.load(ORDER).getItems()).isEqualTo(1000);

      ProvenanceGraph.Reach reach = app.assertLatestRehydrationReachesAllEvents(ORDER, app.spans());
      assertThat(reach.contributors()).hasSize(1001);
      assertThat(reach.maxHops()).isLessThanOrEqualTo(2);
      assertThat(ProvenanceGraph.of(app.spans()).maxLinksPerSpan()).isLessThanOrEqualTo(128);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 2. Snapshots
  // ---------------------------------------------------------------------------------------------

  @Test
  void rehydration_snapshotsEvery100Of1051Events_startsFromLatestSnapshotAndReachesAllEvents() {
    JdbcEventStorageEngine engine = engine(db);
    try (AxonTestApp app = AxonTestApp.start(engine, true, 100)) {
      Map<Long, DomainEventMessage<?>> snapshots = new TreeMap<>();
      app.send(new Order.PlaceOrder(ORDER));
      for (int i = 0; i < 105; i++) {
        app.send(new Order.AddItems(ORDER, 10));
        // Axon keeps only the latest snapshot row: look at each one while it is there.
        engine.readSnapshot(ORDER).ifPresent(s -> snapshots.putIfAbsent(s.getSequenceNumber(), s));
      }

      assertThat(app.load(ORDER).getItems()).isEqualTo(1050);

      SpanData rehydration = app.lastRehydration(ORDER);
      assertThat(rehydration.getAttributes().get(SNAPSHOT_SEQUENCE)).isGreaterThanOrEqualTo(900);
      assertThat(rehydration.getAttributes().get(EVENTS)).isLessThan(200);
      assertThat(rehydration.getAttributes().get(CONTRIBUTORS)).isEqualTo(1051);
      assertThat(rehydration.getAttributes().get(CONTEXTS_MISSING)).isNull();
      ProvenanceGraph.Reach reach = app.assertLatestRehydrationReachesAllEvents(ORDER, app.spans());
      assertThat(reach.contributors()).hasSize(1051);
      assertThat(reach.maxHops()).as("no chain through successive snapshots").isLessThanOrEqualTo(4);

      assertThat(app.spans().stream().filter(s -> s.getName().startsWith("Snapshotter.createSnapshot")))
          .hasSizeGreaterThanOrEqualTo(10);
      assertThat(snapshots).hasSizeGreaterThanOrEqualTo(10);
      assertThat(snapshots).containsKey(engine.readSnapshot(ORDER).orElseThrow().getSequenceNumber());

      // Each stored snapshot carries a sealed, readable checkpoint of exactly the history it
      // summarises, and the span that took it reaches exactly those events.
      ProvenanceGraph graph = ProvenanceGraph.of(app.spans());
      List<DomainEventMessage<?>> events = app.storedEvents(ORDER);
      for (DomainEventMessage<?> snapshot : snapshots.values()) {
        long sequence = snapshot.getSequenceNumber();
        MetaData metaData = snapshot.getMetaData();
        assertThat(metaData).containsKeys(ReconstructionRecorder.LINEAGE_KEY, ReconstructionRecorder.SNAPSHOT_SPAN_KEY);
        Lineage lineage = Lineage.decode(metaData.get(ReconstructionRecorder.LINEAGE_KEY));
        assertThat(lineage.corrupt()).as("snapshot %s", sequence).isZero();
        assertThat(lineage.coveredSequence()).as("snapshot %s", sequence).isEqualTo(sequence);
        assertThat(lineage.contributors()).as("snapshot %s", sequence).isEqualTo(sequence + 1);
        SpanData snapshotSpan = graph.span(context(metaData.get(ReconstructionRecorder.SNAPSHOT_SPAN_KEY)));
        assertThat(snapshotSpan).as("snapshot %s", sequence).isNotNull();
        assertThat(snapshotSpan.getName()).startsWith("Snapshotter.createSnapshot");
        ProvenanceGraph.Reach snapshotReach = graph.reach(snapshotSpan);
        assertThat(snapshotReach.dangling()).isEmpty();
        assertThat(snapshotReach.contributors()).as("snapshot %s", sequence).isEqualTo(eventKeys(events, 0, sequence));
        assertThat(snapshotReach.maxHops()).as("snapshot %s", sequence).isLessThanOrEqualTo(4);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 3. State
  // ---------------------------------------------------------------------------------------------

  @Test
  void state_withAndWithoutTracefoldOnPostgresWithSnapshots_isIdentical() throws SQLException {
    JdbcEventStorageEngine tracedEngine = engine(db);
    JdbcEventStorageEngine plainEngine = engine(newDatabase());
    Order traced;
    Order plain;
    try (AxonTestApp app = AxonTestApp.start(tracedEngine, true, 50)) {
      snapshotWorkload(app);
      traced = app.load(ORDER);
      assertThat(app.lastRehydration(ORDER).getAttributes().get(SNAPSHOT_SEQUENCE)).isNotNull();
    }
    try (AxonTestApp app = AxonTestApp.start(plainEngine, false, 50)) {
      snapshotWorkload(app);
      plain = app.load(ORDER);
      assertThat(app.spans()).noneMatch(s -> s.getName().startsWith("tracefold"));
    }

    assertThat(traced).usingRecursiveComparison().isEqualTo(plain);
    assertThat(traced.getItems()).isEqualTo(1050);
    DomainEventMessage<?> tracedSnapshot = tracedEngine.readSnapshot(ORDER).orElseThrow();
    DomainEventMessage<?> plainSnapshot = plainEngine.readSnapshot(ORDER).orElseThrow();
    assertThat(tracedSnapshot.getSequenceNumber()).isEqualTo(plainSnapshot.getSequenceNumber());
    assertThat(tracedSnapshot.getPayload()).usingRecursiveComparison().isEqualTo(plainSnapshot.getPayload());
    assertThat(plainSnapshot.getMetaData()).doesNotContainKey(ReconstructionRecorder.LINEAGE_KEY);
    assertThat(tracedSnapshot.getMetaData()).containsKey(ReconstructionRecorder.LINEAGE_KEY);
  }

  // ---------------------------------------------------------------------------------------------
  // 4. Two nodes on one database
  // ---------------------------------------------------------------------------------------------

  @Test
  void twoNodes_nodeBRehydratesFromNodeASnapshot_linksResolveToSpansNodeAExported() {
    try (AxonTestApp a = AxonTestApp.start(engine(db), true, 100);
        AxonTestApp b = AxonTestApp.start(engine(db), true, 0)) {
      write300Events(a);

      assertThat(b.load(ORDER).getItems()).isEqualTo(299);

      long snapshotSequence = a.engine.readSnapshot(ORDER).orElseThrow().getSequenceNumber();
      assertThat(snapshotSequence).isBetween(100L, 298L);
      SpanData rehydration = b.lastRehydration(ORDER);
      assertThat(rehydration.getAttributes().get(SNAPSHOT_SEQUENCE)).isEqualTo(snapshotSequence);
      assertThat(rehydration.getAttributes().get(EVENTS)).isEqualTo(299 - snapshotSequence);
      assertThat(rehydration.getAttributes().get(CONTRIBUTORS)).isEqualTo(300);
      assertThat(rehydration.getAttributes().get(CONTEXTS_MISSING)).isNull();
      ProvenanceGraph.Reach reach = b.assertLatestRehydrationReachesAllEvents(ORDER, union(a, b));
      assertThat(reach.contributors()).hasSize(300);
      assertContributorsArePublishSpansOf(reach, a, b);
      assertIntermediateSpansOwnedCorrectly(reach, rehydration, a, b);
      // B starts from A's snapshot: A's snapshot span is on the way, and without A's spans B's
      // walk dangles exactly at spans A exported.
      Map<String, SpanData> aSpans = byKey(a.spans());
      assertThat(ProvenanceGraph.of(b.spans()).reach(rehydration).dangling())
          .isNotEmpty()
          .allSatisfy(k -> assertThat(aSpans).containsKey(k));
      assertThat(reach.intermediateSpans())
          .anySatisfy(k -> assertThat(aSpans.get(k)).isNotNull()
              .extracting(SpanData::getName).asString().startsWith("Snapshotter.createSnapshot"));
    }
  }

  @Test
  void twoNodes_snapshotsDeleted_nodeBReachesNodeAEventsThroughItsOwnLineage() throws SQLException {
    try (AxonTestApp a = AxonTestApp.start(engine(db), true, 100);
        AxonTestApp b = AxonTestApp.start(engine(db), true, 0)) {
      write300Events(a);
      assertThat(execute("DELETE FROM snapshot_event_entry")).isPositive();

      assertThat(b.load(ORDER).getItems()).isEqualTo(299);

      SpanData rehydration = b.lastRehydration(ORDER);
      assertThat(rehydration.getAttributes().get(SNAPSHOT_SEQUENCE)).isNull();
      assertThat(rehydration.getAttributes().get(EVENTS)).isEqualTo(300);
      // Two full nodes and the tail node over the 44 events after them.
      assertThat(rehydration.getAttributes().get(LINEAGE_SPANS)).isEqualTo(3);
      ProvenanceGraph.Reach reach = b.assertLatestRehydrationReachesAllEvents(ORDER, union(a, b));
      assertThat(reach.contributors()).hasSize(300);
      assertContributorsArePublishSpansOf(reach, a, b);
      assertIntermediateSpansOwnedCorrectly(reach, rehydration, a, b);
      Set<String> bKeys = byKey(b.spans()).keySet();
      assertThat(reach.intermediateSpans()).hasSize(3).allSatisfy(k -> assertThat(bKeys).contains(k));
    }
  }

  @Test
  void twoNodes_snapshotWithCorruptLineage_nodeBLoadsAndCountsSummarisedHistoryAsMissing() throws SQLException {
    JdbcEventStorageEngine engineA = engine(db);
    try (AxonTestApp a = AxonTestApp.start(engineA, true, 100);
        AxonTestApp b = AxonTestApp.start(engine(db), true, 0)) {
      write300Events(a);
      DomainEventMessage<?> snapshot = engineA.readSnapshot(ORDER).orElseThrow();
      long sequence = snapshot.getSequenceNumber();
      assertThat(sequence).isLessThan(299);
      updateSnapshotMetaData(
          sequence, snapshot.getMetaData().and(ReconstructionRecorder.LINEAGE_KEY, "tf1|not-a-number|0|0|0|0|0|"));
      assertThat(engineA.readSnapshot(ORDER).orElseThrow().getMetaData().get(ReconstructionRecorder.LINEAGE_KEY))
          .isEqualTo("tf1|not-a-number|0|0|0|0|0|");

      assertThat(b.load(ORDER).getItems()).isEqualTo(299);

      // recordSnapshot: the corrupt lineage (covers nothing, corrupt 1) cannot be used; it is
      // counted as corrupt provenance, and the sequence + 1 events the snapshot summarises are
      // counted as missing; only the events after it are contributors.
      SpanData rehydration = b.lastRehydration(ORDER);
      assertThat(rehydration.getAttributes().get(SNAPSHOT_SEQUENCE)).isEqualTo(sequence);
      assertThat(rehydration.getAttributes().get(CONTEXTS_MISSING)).isEqualTo(sequence + 1);
      assertThat(rehydration.getAttributes().get(ERRORS)).isNull();
      assertThat(rehydration.getAttributes().get(PROVENANCE_CORRUPT)).isEqualTo(1);
      assertThat(rehydration.getAttributes().get(EVENTS)).isEqualTo(299 - sequence);
      assertThat(rehydration.getAttributes().get(CONTRIBUTORS)).isEqualTo(299 - sequence);
      // The snapshot span's link is intact: through it, the graph still reaches everything.
      ProvenanceGraph.Reach reach = b.assertLatestRehydrationReachesAllEvents(ORDER, union(a, b));
      assertThat(reach.contributors()).containsAll(eventKeys(b.storedEvents(ORDER), sequence + 1, Long.MAX_VALUE));
      assertContributorsArePublishSpansOf(reach, a, b);
    }
  }

  @Test
  void twoNodes_snapshotWithOneCorruptLineagePeak_nodeBLoadsAndCountsProvenanceCorrupt() throws SQLException {
    JdbcEventStorageEngine engineA = engine(db);
    try (AxonTestApp a = AxonTestApp.start(engineA, true, 100);
        AxonTestApp b = AxonTestApp.start(engine(db), true, 0)) {
      write300Events(a);
      DomainEventMessage<?> snapshot = engineA.readSnapshot(ORDER).orElseThrow();
      long sequence = snapshot.getSequenceNumber();
      assertThat(sequence).isLessThan(299);
      String encoded = (String) snapshot.getMetaData().get(ReconstructionRecorder.LINEAGE_KEY);
      // tf2|covered|contributors|invalid|missing|unsampled|corrupt|dropped|emittedAt|first|last|peaks|pending
      String[] parts = encoded.split("\\|", -1);
      parts[11] = "0,zz" + parts[11].substring(4);
      String damaged = String.join("|", parts);
      assertThat(Lineage.decode(damaged).corrupt()).isEqualTo(1);
      updateSnapshotMetaData(sequence, snapshot.getMetaData().and(ReconstructionRecorder.LINEAGE_KEY, damaged));

      assertThat(b.load(ORDER).getItems()).isEqualTo(299);

      // recordSnapshot: the header is intact, so the lineage (minus its lost peak) is adopted; its
      // corrupt count surfaces as tracefold.provenance.corrupt, and the lost peak's contributors
      // are counted as missing instead of as contributors.
      long lost = Lineage.decode(encoded).contributors() - Lineage.decode(damaged).contributors();
      SpanData rehydration = b.lastRehydration(ORDER);
      assertThat(rehydration.getAttributes().get(SNAPSHOT_SEQUENCE)).isEqualTo(sequence);
      assertThat(rehydration.getAttributes().get(PROVENANCE_CORRUPT)).isEqualTo(1);
      assertThat(rehydration.getAttributes().get(ERRORS)).isNull();
      assertThat(rehydration.getAttributes().get(CONTEXTS_MISSING)).isEqualTo(lost);
      assertThat(rehydration.getAttributes().get(CONTRIBUTORS)).isEqualTo(300 - lost);
      ProvenanceGraph.Reach reach = b.assertLatestRehydrationReachesAllEvents(ORDER, union(a, b));
      assertContributorsArePublishSpansOf(reach, a, b);
    }
  }

  @Test
  void twoNodes_snapshotWithHugeProvenance_decodingIsBoundedAndTheLoadEmitsNoExtraSpans() throws SQLException {
    JdbcEventStorageEngine engineA = engine(db);
    try (AxonTestApp a = AxonTestApp.start(engineA, true, 100);
        AxonTestApp b = AxonTestApp.start(engine(db), true, 0)) {
      write300Events(a);
      DomainEventMessage<?> snapshot = engineA.readSnapshot(ORDER).orElseThrow();
      long sequence = snapshot.getSequenceNumber();
      // About 12 MB: 200,000 well-formed peaks, far beyond any forest Tracefold writes.
      String peak = "0,0af7651916cd43dd8448eb211c80319cb7ad6b716920333101,1,0,0";
      StringBuilder huge = new StringBuilder("tf2|" + sequence + "|200000|0|0|0|0|0|0|||");
      for (int i = 0; i < 200_000; i++) {
        huge.append(i == 0 ? "" : ";").append(peak);
      }
      huge.append('|');
      updateSnapshotMetaData(sequence, snapshot.getMetaData().and(ReconstructionRecorder.LINEAGE_KEY, huge.toString()));
      int before = b.spans().size();

      assertThat(b.load(ORDER).getItems()).isEqualTo(299);

      SpanData rehydration = b.lastRehydration(ORDER);
      assertThat(rehydration.getAttributes().get(PROVENANCE_CORRUPT)).isEqualTo(1);
      assertThat(rehydration.getAttributes().get(CONTEXTS_MISSING)).isEqualTo(sequence + 1);
      assertThat(rehydration.getAttributes().get(ERRORS)).isNull();
      assertThat(rehydration.getLinks().size()).isLessThanOrEqualTo(128);
      // The load, its rehydration, its command's spans: no lineage flood.
      assertThat(b.spans().subList(before, b.spans().size()))
          .filteredOn(s -> s.getName().equals(LINEAGE_SPAN_NAME)).hasSizeLessThanOrEqualTo(1);
    }
  }

  @Test
  void twoNodes_snapshotProvenanceCoveringMoreThanTheSnapshot_isRejectedAndLaterEventsStillLinked()
      throws SQLException {
    JdbcEventStorageEngine engineA = engine(db);
    try (AxonTestApp a = AxonTestApp.start(engineA, true, 100);
        AxonTestApp b = AxonTestApp.start(engine(db), true, 0)) {
      write300Events(a);
      DomainEventMessage<?> snapshot = engineA.readSnapshot(ORDER).orElseThrow();
      long sequence = snapshot.getSequenceNumber();
      String encoded = (String) snapshot.getMetaData().get(ReconstructionRecorder.LINEAGE_KEY);
      // Claims to cover up to 10,000: every later event would be skipped as covered if believed.
      String[] parts = encoded.split("\\|", -1);
      parts[1] = "10000";
      updateSnapshotMetaData(sequence, snapshot.getMetaData().and(ReconstructionRecorder.LINEAGE_KEY, String.join("|", parts)));

      assertThat(b.load(ORDER).getItems()).isEqualTo(299);

      SpanData rehydration = b.lastRehydration(ORDER);
      assertThat(rehydration.getAttributes().get(PROVENANCE_CORRUPT)).isEqualTo(1);
      assertThat(rehydration.getAttributes().get(EVENTS)).isEqualTo(299 - sequence);
      // The events after the snapshot are read and linked; the summarised ones are counted missing.
      assertThat(rehydration.getAttributes().get(CONTRIBUTORS)).isEqualTo(299 - sequence);
      assertThat(rehydration.getAttributes().get(CONTEXTS_MISSING)).isEqualTo(sequence + 1);
      ProvenanceGraph.Reach reach = ProvenanceGraph.of(union(a, b)).reach(rehydration);
      assertThat(reach.contributors()).containsAll(eventKeys(b.storedEvents(ORDER), sequence + 1, Long.MAX_VALUE));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 5. Events written before Tracefold
  // ---------------------------------------------------------------------------------------------

  @Test
  void rehydration_eventsWrittenWithoutTracefold_loadAndAreCountedAsMissing() {
    try (AxonTestApp plain = AxonTestApp.start(engine(db), false, 0)) {
      plain.send(new Order.PlaceOrder(ORDER));
      plain.send(new Order.AddItems(ORDER, 5));
      assertThat(plain.storedEvents(ORDER))
          .hasSize(6)
          .allSatisfy(e -> assertThat(e.getMetaData()).doesNotContainKey(W3CTraceContext.TRACEPARENT));
    }
    try (AxonTestApp traced = AxonTestApp.start(engine(db), true, 0)) {
      traced.send(new Order.AddItems(ORDER, 4));

      assertThat(traced.load(ORDER).getItems()).isEqualTo(9);

      assertCountsSixMissingFourContributors(traced, traced.spans());
      // A node that never saw the aggregate counts the same, from the stored events alone.
      try (AxonTestApp fresh = AxonTestApp.start(engine(db), true, 0)) {
        assertThat(fresh.load(ORDER).getItems()).isEqualTo(9);
        assertCountsSixMissingFourContributors(fresh, union(traced, fresh));
      }
    }
  }

  private static void assertCountsSixMissingFourContributors(AxonTestApp app, List<SpanData> spans) {
    SpanData rehydration = app.lastRehydration(ORDER);
    assertThat(rehydration.getAttributes().get(EVENTS)).isEqualTo(10);
    assertThat(rehydration.getAttributes().get(CONTEXTS_MISSING)).isEqualTo(6);
    assertThat(rehydration.getAttributes().get(CONTEXTS_INVALID)).isNull();
    assertThat(rehydration.getAttributes().get(CONTRIBUTORS)).isEqualTo(4);
    ProvenanceGraph.Reach reach = app.assertLatestRehydrationReachesAllEvents(ORDER, spans);
    assertThat(reach.contributors()).hasSize(4);
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  private static DataSource newDatabase() throws SQLException {
    return TestPostgres.newDatabase();
  }

  private static JdbcEventStorageEngine engine(DataSource dataSource) {
    return TestPostgres.engine(dataSource);
  }

  private long countRows(String table) throws SQLException {
    try (Connection connection = db.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private int execute(String sql) throws SQLException {
    try (Connection connection = db.getConnection(); Statement statement = connection.createStatement()) {
      return statement.executeUpdate(sql);
    }
  }

  /** Overwrites the stored metadata of the order's snapshot, serialized as the engine does. */
  private void updateSnapshotMetaData(long sequence, MetaData metaData) throws SQLException {
    byte[] bytes = TestPostgres.JSON.serialize(metaData, byte[].class).getData();
    try (Connection connection = db.getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE snapshot_event_entry SET meta_data = ? WHERE aggregate_identifier = ? AND sequence_number = ?")) {
      update.setBytes(1, bytes);
      update.setString(2, ORDER);
      update.setLong(3, sequence);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }

  /** PlaceOrder, then 105 commands of 10 events: 1,051 events. */
  private static void snapshotWorkload(AxonTestApp app) {
    app.send(new Order.PlaceOrder(ORDER));
    for (int i = 0; i < 105; i++) {
      app.send(new Order.AddItems(ORDER, 10));
    }
  }

  /**
   * PlaceOrder, then 299 items in 20 commands: 300 events. At threshold 100 (the count includes the
   * snapshot read), snapshots are taken at sequences 100 and 220; the last 79 events stay after them.
   */
  private static void write300Events(AxonTestApp app) {
    app.send(new Order.PlaceOrder(ORDER));
    for (int i = 0; i < 11; i++) {
      app.send(new Order.AddItems(ORDER, 10));
    }
    app.send(new Order.AddItems(ORDER, 110));
    for (int i = 0; i < 7; i++) {
      app.send(new Order.AddItems(ORDER, 10));
    }
    app.send(new Order.AddItems(ORDER, 9));
    assertThat(app.engine.readSnapshot(ORDER)).hasValueSatisfying(s -> assertThat(s.getSequenceNumber()).isEqualTo(220));
  }

  private static List<SpanData> union(AxonTestApp first, AxonTestApp second) {
    List<SpanData> spans = new ArrayList<>(first.spans());
    spans.addAll(second.spans());
    return spans;
  }

  private static Map<String, SpanData> byKey(List<SpanData> spans) {
    Map<String, SpanData> byKey = new HashMap<>();
    for (SpanData span : spans) {
      byKey.put(ProvenanceGraph.key(span.getSpanContext()), span);
    }
    return byKey;
  }

  /** Every contributor is an event publish span exported by the writing node, none by the reader. */
  private static void assertContributorsArePublishSpansOf(
      ProvenanceGraph.Reach reach, AxonTestApp writer, AxonTestApp reader) {
    Map<String, SpanData> written = byKey(writer.spans());
    Set<String> read = byKey(reader.spans()).keySet();
    assertThat(reach.contributors())
        .isNotEmpty()
        .allSatisfy(k -> {
          assertThat(written.get(k)).as(k).isNotNull();
          assertThat(written.get(k).getName()).startsWith("EventBus.publishEvent");
          assertThat(read).doesNotContain(k);
        });
  }

  /**
   * Every Tracefold span on the way is exported by exactly one node: B's are the lineage spans its
   * own rehydration emitted (children of it), A's are its snapshot and lineage spans.
   */
  private static void assertIntermediateSpansOwnedCorrectly(
      ProvenanceGraph.Reach reach, SpanData rehydration, AxonTestApp a, AxonTestApp b) {
    Map<String, SpanData> aSpans = byKey(a.spans());
    Map<String, SpanData> bSpans = byKey(b.spans());
    assertThat(bSpans).containsKey(ProvenanceGraph.key(rehydration.getSpanContext()));
    assertThat(aSpans).doesNotContainKey(ProvenanceGraph.key(rehydration.getSpanContext()));
    for (String key : reach.intermediateSpans()) {
      SpanData fromA = aSpans.get(key);
      SpanData fromB = bSpans.get(key);
      assertThat(fromA == null ^ fromB == null).as("exported by exactly one node: %s", key).isTrue();
      if (fromB != null) {
        assertThat(fromB.getName()).isEqualTo(LINEAGE_SPAN_NAME);
        assertThat(fromB.getParentSpanId()).isEqualTo(rehydration.getSpanId());
      } else {
        assertThat(fromA.getName()).satisfiesAnyOf(
            n -> assertThat(n).isEqualTo(LINEAGE_SPAN_NAME),
            n -> assertThat(n).startsWith("Snapshotter.createSnapshot"));
      }
    }
  }

  /** Graph keys of the stored events with {@code from <= sequence <= to} that carry a context. */
  private static Set<String> eventKeys(List<DomainEventMessage<?>> events, long from, long to) {
    Set<String> keys = new LinkedHashSet<>();
    for (DomainEventMessage<?> event : events) {
      if (event.getSequenceNumber() >= from && event.getSequenceNumber() <= to) {
        keys.add(ProvenanceGraph.key(context(event.getMetaData().get(W3CTraceContext.TRACEPARENT))));
      }
    }
    return keys;
  }

  private static SpanContext context(Object traceparent) {
    ParsedTraceparent parsed = new ParsedTraceparent();
    assertThat(traceparent).isInstanceOf(CharSequence.class);
    assertThat(W3CTraceContext.parseTraceparent((CharSequence) traceparent, parsed)).as("%s", traceparent).isTrue();
    return parsed.toSpanContext(null);
  }
}
