package io.tracefold.axon;

import static io.tracefold.core.TracefoldAttributes.CONTRIBUTORS;
import static io.tracefold.core.TracefoldAttributes.ENTITY_ID;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPANS;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPAN_NAME;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tracefold.core.Lineage;
import io.tracefold.core.internal.ParsedTraceparent;
import io.tracefold.core.internal.W3CTraceContext;
import io.tracefold.core.testing.ProvenanceGraph;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.config.Configurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.PostgresTokenTableFactory;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGPoolingDataSource;
import org.postgresql.ds.common.BaseDataSource;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * Projection lineage under racing writers, at volume and across a restart, on real PostgreSQL:
 * JDBC event store, JDBC token store and {@link JdbcProjectionLineageStore} in one database, each
 * node with its own storage engine, OpenTelemetry SDK and exporter. The invariant is checked on
 * the exported spans with {@link ProvenanceGraph}: the latest update of a read-model entity
 * reaches exactly the event spans (the stored events' {@code traceparent}s) of every event that
 * fed it, with no lineage link to a span that was never exported and no span over the link budget.
 *
 * <p>The read-model entity of {@link RegionProjection} is a region, fed by the events of many
 * {@link Parcel}s: with the per-aggregate sequencing policy, their events are handled by different
 * segments, on different nodes, whose lineage writes race.
 */
class AxonProjectionConcurrencyTest {

  private static final String UPDATE = "Projection.update(RegionProjection)";
  private static final String PROCESSOR = "regions";
  private static final String NORTH = "north";
  private static final String SOUTH = "south";

  private static final AtomicInteger POOLS = new AtomicInteger();

  private final AtomicInteger lostRaces = new AtomicInteger();
  private DataSource db;

  @BeforeEach
  void setUp() throws SQLException {
    db = pooled(TestPostgres.newDatabase());
    JdbcProjectionLineageStore.create(db).createSchema();
    tokenStore(db, "schema").createSchema(PostgresTokenTableFactory.INSTANCE);
  }

  @AfterEach
  @SuppressWarnings("deprecation")
  void tearDown() {
    ((PGPoolingDataSource) db).close();
  }

  // ---------------------------------------------------------------------------------------------
  // a. Two nodes, two segments, one read-model entity fed from both
  // ---------------------------------------------------------------------------------------------

  /** Where a node's lineage writes go. */
  enum LineageWriteMode {
    /** Through a transaction-aware data source: in the batch's transaction (as in Spring apps). */
    IN_BATCH_TRANSACTION,
    /** On a plain data source: each write commits on its own connection. */
    OWN_CONNECTION
  }

  @ParameterizedTest
  @EnumSource(LineageWriteMode.class)
  void twoNodesTwoSegments_regionFedByParcelsOfBothSegments_latestUpdateReachesExactlyTheRegionsEvents(
      LineageWriteMode writes) throws SQLException {
    RegionProjection onA = new RegionProjection();
    RegionProjection onB = new RegionProjection();
    try (AxonTestApp a = startRegionNode(onA, "node-a", 2, 5, 1, writes);
        AxonTestApp b = startRegionNode(onB, "node-b", 2, 5, 1, writes)) {
      // The shared token store splits the two segments between the nodes.
      await(Duration.ofSeconds(20), () -> claimed(a) == 1 && claimed(b) == 1);
      assertThat(processor(a).processingStatus().keySet())
          .doesNotContainAnyElementsOf(processor(b).processingStatus().keySet());

      // 8 parcels, 4 per region; the sequencing policy is per aggregate, so each region's parcels
      // are spread over both segments, hence over both nodes. Commands alternate between nodes.
      Map<String, String> regionOf = new HashMap<>();
      Set<String> expectedKeys = new HashSet<>();
      int sent = 0;
      for (int i = 0; i < 8; i++) {
        String parcel = "p-" + i;
        regionOf.put(parcel, i < 4 ? NORTH : SOUTH);
        (sent++ % 2 == 0 ? a : b).send(new Parcel.RegisterParcel(parcel, regionOf.get(parcel)));
        expectedKeys.add(parcel + "#0");
      }
      int[] scans = new int[8];
      for (int round = 0; round < 30; round++) {
        for (int i = 0; i < 8; i++) {
          int count = 1 + (round + i) % 3;
          (sent++ % 2 == 0 ? a : b).send(new Parcel.ScanParcel("p-" + i, count));
          for (int s = 0; s < count; s++) {
            expectedKeys.add("p-" + i + "#" + (++scans[i]));
          }
        }
      }
      assertThat(expectedKeys).hasSizeGreaterThan(400);
      await(Duration.ofSeconds(30), () -> handledByEither(onA, onB).size() == expectedKeys.size());
      awaitLineageWritesSettled();

      // Each event was handled exactly once, by the node owning its parcel's segment.
      assertThat(handledByEither(onA, onB)).isEqualTo(expectedKeys);
      assertThat(onA.calls.get() + onB.calls.get()).isEqualTo(expectedKeys.size());
      assertThat(parcels(onA.handled)).doesNotContainAnyElementsOf(parcels(onB.handled));
      // Writers lost compare-and-set races (and merged into the winner's lineage).
      assertThat(lostRaces.get()).as("lost lineage races").isPositive();
      ProvenanceGraph settled = ProvenanceGraph.of(union(a, b));
      for (String region : List.of(NORTH, SOUTH)) {
        // Both nodes updated the region: its lineage had writers on both nodes.
        assertThat(updates(a.spans(), region)).as("updates of %s on node A", region).isNotEmpty();
        assertThat(updates(b.spans(), region)).as("updates of %s on node B", region).isNotEmpty();
        // Whatever raced, the latest update so far reaches only the region's events, never dangles
        // (it may miss what a racing writer recorded after it read the lineage).
        ProvenanceGraph.Reach reach = settled.reach(latest(updates(settled.spans(), region)));
        assertThat(reach.dangling()).isEmpty();
        assertThat(eventSpanKeys(a, regionOf, region)).containsAll(reach.contributors());
      }

      // One more event per region, once every write settled: its update reads the merged lineage.
      Map<String, String> extraEvent = new HashMap<>();
      for (String region : List.of(NORTH, SOUTH)) {
        String parcel = region.equals(NORTH) ? "p-0" : "p-7";
        (region.equals(NORTH) ? b : a).send(new Parcel.ScanParcel(parcel, 1));
        extraEvent.put(region, key(lastStored(a, parcel)));
      }
      await(Duration.ofSeconds(15), () -> extraEvent.entrySet().stream().allMatch(e ->
          updates(union(a, b), e.getKey()).stream().anyMatch(u -> linksTo(u, e.getValue()))));

      List<SpanData> all = union(a, b);
      ProvenanceGraph graph = ProvenanceGraph.of(all);
      for (String region : List.of(NORTH, SOUTH)) {
        SpanData latest = latest(updates(all, region));
        assertThat(linksTo(latest, extraEvent.get(region)))
            .as("latest update of %s is the extra event's", region)
            .isTrue();
        Set<String> expected = eventSpanKeys(a, regionOf, region);
        assertThat(expected).as("event spans of %s", region).hasSize(eventCount(a, regionOf, region));
        assertReachesExactly(graph.reach(latest), expected, "latest update of " + region);
        // Merged lineages count each contributor once.
        assertThat(latest.getAttributes().get(CONTRIBUTORS)).isEqualTo(expected.size());
      }
      assertThat(graph.maxLinksPerSpan()).isLessThanOrEqualTo(128);
      assertThat(graph.spansWithDroppedLinks()).isEmpty();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // b. 5,000+ events into one entity
  // ---------------------------------------------------------------------------------------------

  @Test
  void oneEntity_5001EventsThroughJdbcLineage_lastUpdateReachesAllWithinLogHopsAndBoundedWork() {
    OrderSummaryProjection projection = new OrderSummaryProjection();
    Consumer<Configurer> pooled = c -> c.eventProcessing(ep -> {
      ep.registerEventHandler(conf -> projection);
      ep.registerPooledStreamingEventProcessor(
          "summaries", conf -> conf.eventStore(), (conf, builder) -> builder.initialSegmentCount(1).batchSize(100));
    });
    try (AxonTestApp app = AxonTestApp.start(
        TestPostgres.engine(db), Sampler.alwaysOn(), 0,
        t -> t.setProjectionLineageStore(JdbcProjectionLineageStore.create(db)), pooled)) {
      app.send(new Order.PlaceOrder("o-1"));
      for (int i = 0; i < 10; i++) {
        app.send(new Order.AddItems("o-1", 500));
      }
      int n = 5001;
      await(Duration.ofSeconds(30),
          () -> projection.handled == n && AxonProjectionTest.updates(app, "o-1").size() == n);

      List<SpanData> spans = app.spans();
      ProvenanceGraph graph = ProvenanceGraph.of(spans);
      ProvenanceGraph.Reach reach = graph.reach(AxonProjectionTest.latestUpdate(app, "o-1"));
      Set<String> expected = app.eventSpanKeys("o-1");
      assertThat(expected).hasSize(n);
      assertReachesExactly(reach, expected, "latest update of o-1");
      assertThat(AxonProjectionTest.latestUpdate(app, "o-1").getAttributes().get(CONTRIBUTORS)).isEqualTo(n);
      assertThat(reach.maxHops()).isBetween(2, ceilLog(n, 128) + 1);
      assertThat(graph.maxLinksPerSpan()).isLessThanOrEqualTo(128);
      assertThat(graph.spansWithDroppedLinks()).isEmpty();

      // Bounded work per update: the lineage spans each update emitted (counted on it, and counted
      // among the exported spans as its children) stay a handful whatever the history.
      List<SpanData> updates = AxonProjectionTest.updates(app, "o-1");
      Map<String, Long> emittedUnder = spans.stream()
          .filter(s -> s.getName().equals(LINEAGE_SPAN_NAME))
          .collect(Collectors.groupingBy(SpanData::getParentSpanId, Collectors.counting()));
      long lineageSpans = emittedUnder.values().stream().mapToLong(Long::longValue).sum();
      assertThat(lineageSpans).isPositive();
      assertThat(updates).allSatisfy(u -> {
        long emitted = emittedUnder.getOrDefault(u.getSpanId(), 0L);
        assertThat(java.util.Objects.requireNonNullElse(u.getAttributes().get(LINEAGE_SPANS), 0L)).isEqualTo(emitted);
        assertThat(emitted).isLessThanOrEqualTo(2);
        assertThat(u.getLinks()).hasSizeLessThanOrEqualTo(128);
      });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // c. A restart on the same database
  // ---------------------------------------------------------------------------------------------

  /** When the first process stops. */
  enum Stop {
    /** Once it has handled, and written the lineage of, every event. */
    WHEN_SETTLED,
    /** Right after the last command, its processor possibly in the middle of a batch. */
    WHILE_PROCESSING
  }

  @ParameterizedTest
  @EnumSource(Stop.class)
  void restart_newProcessOnTheSameDatabase_resumesFromStoredTokensAndLatestUpdateReachesBothRuns(Stop stop)
      throws SQLException {
    Map<String, String> regionOf = new HashMap<>();
    RegionProjection first = new RegionProjection();
    Set<String> firstKeys = new HashSet<>();
    List<SpanData> before;
    try (AxonTestApp app = startRegionNode(first, "first", 1, 10, 1, LineageWriteMode.IN_BATCH_TRANSACTION)) {
      for (int i = 0; i < 4; i++) {
        regionOf.put("p-" + i, NORTH);
        app.send(new Parcel.RegisterParcel("p-" + i, NORTH));
        firstKeys.add("p-" + i + "#0");
        for (int c = 0; c < 4; c++) {
          app.send(new Parcel.ScanParcel("p-" + i, 10));
        }
        for (int s = 1; s <= 40; s++) {
          firstKeys.add("p-" + i + "#" + s);
        }
      }
      if (stop == Stop.WHEN_SETTLED) {
        await(Duration.ofSeconds(20), () -> first.handled.size() == firstKeys.size()
            && updates(app.spans(), NORTH).size() == firstKeys.size());
        awaitLineageWritesSettled();
      } else {
        // Three batches of 10 handled: the first two committed their tokens.
        await(Duration.ofSeconds(20), () -> first.handled.size() >= 30);
      }
      // Processing stops first: the spans of a batch that finishes during the shutdown are kept
      // (closing the SDK empties its exporter).
      app.config.shutdown();
      before = app.spans();
    }
    if (stop == Stop.WHEN_SETTLED) {
      assertThat(first.handled).isEqualTo(firstKeys);
    }

    // A new process on the same database: new engine, stores, SDK; the tokens are in the table.
    RegionProjection second = new RegionProjection();
    Set<String> secondKeys = new HashSet<>();
    try (AxonTestApp app = startRegionNode(second, "second", 1, 10, 1, LineageWriteMode.IN_BATCH_TRANSACTION)) {
      regionOf.put("p-4", NORTH);
      app.send(new Parcel.RegisterParcel("p-4", NORTH));
      secondKeys.add("p-4#0");
      for (int i = 0; i <= 4; i++) {
        app.send(new Parcel.ScanParcel("p-" + i, 5));
        int from = i == 4 ? 1 : 41;
        for (int s = from; s < from + 5; s++) {
          secondKeys.add("p-" + i + "#" + s);
        }
      }
      // The last event of the stream is p-4's last scan: its update is the last one.
      String lastEvent = key(lastStored(app, "p-4"));
      await(Duration.ofSeconds(20), () -> updates(app.spans(), NORTH).stream().anyMatch(u -> linksTo(u, lastEvent)));

      Set<String> allKeys = new HashSet<>(firstKeys);
      allKeys.addAll(secondKeys);
      assertThat(handledByEither(first, second)).isEqualTo(allKeys);
      assertThat(second.handled).containsAll(secondKeys);
      if (stop == Stop.WHEN_SETTLED) {
        // Resumed from the stored token: only the new events were handled.
        assertThat(second.handled).isEqualTo(secondKeys);
        assertThat(second.calls.get()).isEqualTo(secondKeys.size());
      } else {
        // Resumed from the last committed token, not from the start.
        assertThat(second.calls.get()).isLessThanOrEqualTo(allKeys.size() - 20);
      }

      List<SpanData> all = new ArrayList<>(before);
      all.addAll(app.spans());
      ProvenanceGraph graph = ProvenanceGraph.of(all);
      SpanData latest = latest(updates(app.spans(), NORTH));
      assertThat(linksTo(latest, lastEvent)).isTrue();
      Set<String> expected = eventSpanKeys(app, regionOf, NORTH);
      assertThat(expected).hasSize(allKeys.size());
      assertReachesExactly(graph.reach(latest), expected, "latest update after the restart");
      assertThat(latest.getAttributes().get(CONTRIBUTORS)).isEqualTo(expected.size());
      assertThat(graph.maxLinksPerSpan()).isLessThanOrEqualTo(128);
      assertThat(graph.spansWithDroppedLinks()).isEmpty();
      if (stop == Stop.WHEN_SETTLED) {
        // The old history is reached through lineage spans the first process exported: without
        // its spans, the walk dangles exactly there.
        Set<String> firstRun =
            before.stream().map(s -> ProvenanceGraph.key(s.getSpanContext())).collect(Collectors.toSet());
        assertThat(ProvenanceGraph.of(app.spans()).reach(latest).dangling())
            .isNotEmpty()
            .allSatisfy(k -> assertThat(firstRun).contains(k));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers
  // ---------------------------------------------------------------------------------------------

  /**
   * Starts a node (its own storage engine, SDK and exporter) with the region projection on a pooled
   * processor that runs each batch in a JDBC transaction (Spring's, as a Spring application has);
   * the token store takes part in it through a transaction-aware data source, and so does the
   * lineage store if {@code writes} says so. Without a transaction, JdbcTokenStore's {@code SELECT
   * ... FOR UPDATE} locks nothing and two nodes can claim the same segment.
   */
  private AxonTestApp startRegionNode(
      RegionProjection projection, String node, int segments, int batchSize, int maxClaimed, LineageWriteMode writes) {
    DataSourceTransactionManager transactions = new DataSourceTransactionManager(db);
    DataSource transactional = new TransactionAwareDataSourceProxy(db);
    JdbcTokenStore tokens = tokenStore(transactional, node);
    ProjectionLineageStore lineage =
        JdbcProjectionLineageStore.create(writes == LineageWriteMode.IN_BATCH_TRANSACTION ? transactional : db);
    return AxonTestApp.start(
        TestPostgres.engine(db),
        Sampler.parentBased(Sampler.alwaysOn()),
        0,
        t -> t.setProjectionLineageStore(counting(lineage)),
        c -> c.configureAggregate(Parcel.class).eventProcessing(ep -> {
          ep.registerEventHandler(conf -> projection);
          ep.registerTokenStore(PROCESSOR, conf -> tokens);
          ep.registerPooledStreamingEventProcessor(
              PROCESSOR,
              conf -> conf.eventStore(),
              (conf, builder) -> builder
                  .transactionManager(new SpringTransactionManager(transactions))
                  .initialSegmentCount(segments)
                  .maxClaimedSegments(maxClaimed)
                  .batchSize(batchSize)
                  .tokenClaimInterval(100));
        }));
  }

  /**
   * A pool over the test database: every store, engine and token store here opens a connection per
   * operation, and a new PostgreSQL connection (a backend process) per operation would dominate
   * the run time.
   */
  @SuppressWarnings("deprecation")
  private static DataSource pooled(DataSource plain) {
    BaseDataSource database = (BaseDataSource) plain;
    PGPoolingDataSource pool = new PGPoolingDataSource();
    pool.setServerNames(database.getServerNames());
    pool.setPortNumbers(database.getPortNumbers());
    pool.setDatabaseName(database.getDatabaseName());
    pool.setUser(database.getUser());
    pool.setPassword(database.getPassword());
    pool.setDataSourceName("tracefold-concurrency-" + POOLS.incrementAndGet());
    pool.setMaxConnections(48);
    return pool;
  }

  /** Counts the compare-and-set writes that lost to another writer. */
  private ProjectionLineageStore counting(ProjectionLineageStore store) {
    return new ProjectionLineageStore() {
      @Override
      public EntityLineage load(String projection, String entityId) {
        return store.load(projection, entityId);
      }

      @Override
      public boolean save(String projection, String entityId, EntityLineage expected, Lineage lineage) {
        boolean saved = store.save(projection, entityId, expected, lineage);
        if (!saved) {
          lostRaces.incrementAndGet();
        }
        return saved;
      }
    };
  }

  private static JdbcTokenStore tokenStore(DataSource dataSource, String node) {
    return JdbcTokenStore.builder()
        .connectionProvider(new DataSourceConnectionProvider(dataSource))
        .serializer(TestPostgres.JSON)
        .nodeId(node)
        .claimTimeout(Duration.ofSeconds(10))
        .build();
  }

  private static StreamingEventProcessor processor(AxonTestApp app) {
    return app.config.eventProcessingConfiguration()
        .eventProcessor(PROCESSOR, StreamingEventProcessor.class)
        .orElseThrow();
  }

  private static int claimed(AxonTestApp app) {
    return processor(app).processingStatus().size();
  }

  /** Waits until no lineage row changed for a while: every batch's write has committed. */
  private void awaitLineageWritesSettled() throws SQLException {
    String previous = lineageVersions();
    long stableSince = System.nanoTime();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() - stableSince < Duration.ofMillis(400).toNanos()) {
      assertThat(System.nanoTime()).as("lineage writes settle").isLessThan(deadline);
      sleep(50);
      String now = lineageVersions();
      if (!now.equals(previous)) {
        previous = now;
        stableSince = System.nanoTime();
      }
    }
  }

  private String lineageVersions() throws SQLException {
    try (Connection connection = db.getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(
            "SELECT entity_id, version FROM " + JdbcProjectionLineageStore.DEFAULT_TABLE + " ORDER BY entity_id")) {
      StringBuilder versions = new StringBuilder();
      while (rows.next()) {
        versions.append(rows.getString(1)).append('=').append(rows.getLong(2)).append(';');
      }
      return versions.toString();
    }
  }

  private static Set<String> handledByEither(RegionProjection a, RegionProjection b) {
    Set<String> handled = new HashSet<>(a.handled);
    handled.addAll(b.handled);
    return handled;
  }

  private static Set<String> parcels(Set<String> handled) {
    return handled.stream().map(k -> k.substring(0, k.indexOf('#'))).collect(Collectors.toSet());
  }

  private static List<SpanData> union(AxonTestApp a, AxonTestApp b) {
    List<SpanData> spans = new ArrayList<>(a.spans());
    spans.addAll(b.spans());
    return spans;
  }

  private static List<SpanData> updates(List<SpanData> spans, String region) {
    return spans.stream()
        .filter(s -> s.getName().equals(UPDATE) && region.equals(s.getAttributes().get(ENTITY_ID)))
        .collect(Collectors.toList());
  }

  private static SpanData latest(List<SpanData> updates) {
    assertThat(updates).isNotEmpty();
    return updates.stream().max(Comparator.comparingLong(SpanData::getEndEpochNanos)).orElseThrow();
  }

  private static boolean linksTo(SpanData span, String key) {
    for (LinkData link : span.getLinks()) {
      if (ProvenanceGraph.key(link.getSpanContext()).equals(key)) {
        return true;
      }
    }
    return false;
  }

  /** The event spans (stored traceparents) of every event of the region's parcels. */
  private static Set<String> eventSpanKeys(AxonTestApp app, Map<String, String> regionOf, String region) {
    Set<String> keys = new LinkedHashSet<>();
    regionOf.forEach((parcel, r) -> {
      if (r.equals(region)) {
        keys.addAll(app.eventSpanKeys(parcel));
      }
    });
    return keys;
  }

  private static int eventCount(AxonTestApp app, Map<String, String> regionOf, String region) {
    return regionOf.entrySet().stream()
        .filter(e -> e.getValue().equals(region))
        .mapToInt(e -> app.storedEvents(e.getKey()).size())
        .sum();
  }

  /** The walk from an update reaches exactly {@code expected}, and every lineage span on the way. */
  private static void assertReachesExactly(ProvenanceGraph.Reach reach, Set<String> expected, String what) {
    assertThat(reach.dangling()).as("%s: lineage links to spans never exported", what).isEmpty();
    Set<String> missing = new LinkedHashSet<>(expected);
    missing.removeAll(reach.contributors());
    Set<String> extra = new LinkedHashSet<>(reach.contributors());
    extra.removeAll(expected);
    assertThat(missing).as("%s: event spans not reached, of %s", what, expected.size()).isEmpty();
    assertThat(extra).as("%s: reached spans that are not its events", what).isEmpty();
  }

  private static DomainEventMessage<?> lastStored(AxonTestApp app, String parcel) {
    List<DomainEventMessage<?>> stored = StoredEvents.of(app.engine, parcel);
    return stored.get(stored.size() - 1);
  }

  private static String key(DomainEventMessage<?> event) {
    Object traceparent = event.getMetaData().get(W3CTraceContext.TRACEPARENT);
    ParsedTraceparent parsed = new ParsedTraceparent();
    assertThat(traceparent).isInstanceOf(CharSequence.class);
    assertThat(W3CTraceContext.parseTraceparent((CharSequence) traceparent, parsed)).isTrue();
    SpanContext context = parsed.toSpanContext(null);
    return ProvenanceGraph.key(Objects.requireNonNull(context));
  }

  /** The smallest h with base^h >= n. */
  private static int ceilLog(long n, long base) {
    int h = 0;
    for (long reach = 1; reach < n; reach *= base) {
      h++;
    }
    return h;
  }

  private static void await(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout);
      }
      sleep(20);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
