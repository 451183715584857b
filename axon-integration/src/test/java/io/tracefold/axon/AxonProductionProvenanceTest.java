package io.tracefold.axon;

import static io.tracefold.axon.AxonProjectionTest.withProjection;
import static io.tracefold.axon.TestPostgres.engine;
import static io.tracefold.axon.TestPostgres.newDatabase;
import static io.tracefold.core.TracefoldAttributes.ENTITY_ID;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_DISCARDED;
import static io.tracefold.core.TracefoldAttributes.LINEAGE_SPANS;
import static io.tracefold.core.TracefoldAttributes.LINKS_UNLINKED;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tracefold.core.TracefoldAttributes;
import io.tracefold.core.testing.ProvenanceGraph;
import io.tracefold.core.testing.Samplers;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Provenance where users run Tracefold: head sampling by trace-id ratio (Spring Boot's default is
 * 0.1), a sampler dropping lineage spans by name, snapshots taken in unsampled traces and read by a
 * fresh process, an event store emptied under a running application, lineage older than trace
 * retention. The promise checked: every sampled reconstruction reaches every exported event span of
 * its entity, and never a span that was not exported.
 */
class AxonProductionProvenanceTest {

  private static final String ORDER = "order-1";
  private static final Sampler RATIO = Sampler.parentBased(Sampler.traceIdRatioBased(0.3));

  @Test
  void rehydration_ratioSamplerWithSnapshots_sampledLoadsInThisAndAFreshProcessReachEveryExportedEvent()
      throws SQLException {
    DataSource db = newDatabase();
    List<SpanData> first;
    try (AxonTestApp app = AxonTestApp.start(engine(db), RATIO, 100, b -> b, c -> {})) {
      app.send(new Order.PlaceOrder(ORDER));
      for (int i = 0; i < 60; i++) {
        app.send(new Order.AddItems(ORDER, 10));
      }
      assertThat(app.engine.readSnapshot(ORDER)).isPresent();
      SpanData load = sampledLoad(app);
      ProvenanceGraph.Reach reach = ProvenanceGraph.of(app.spans()).reach(load);
      assertReachesExportedEvents(reach, app.spans(), app.eventSpanKeys(ORDER));
      first = new ArrayList<>(app.spans());
    }
    // A fresh process: no checkpoint in memory; the snapshot's metadata hands the history over.
    try (AxonTestApp fresh = AxonTestApp.start(engine(db), RATIO, 0, b -> b, c -> {})) {
      SpanData load = sampledLoad(fresh);
      List<SpanData> all = new ArrayList<>(first);
      all.addAll(fresh.spans());
      ProvenanceGraph.Reach reach = ProvenanceGraph.of(all).reach(load);
      assertReachesExportedEvents(reach, all, fresh.eventSpanKeys(ORDER));
      assertThat(load.getAttributes().get(TracefoldAttributes.SNAPSHOT_SEQUENCE)).isNotNull();
      assertThat(load.getAttributes().get(TracefoldAttributes.CONTEXTS_MISSING)).isNull();
    }
  }

  @Test
  void rehydration_samplerDropsLineageSpansByName_noLoadLinksAnUnexportedSpanAndUnlinkedIsCounted() {
    Sampler dropping = Samplers.droppingByName(TracefoldAttributes.LINEAGE_SPAN_NAME);
    try (AxonTestApp app =
        AxonTestApp.start(new InMemoryEventStorageEngine(), dropping, 0, b -> b, c -> {})) {
      app.send(new Order.PlaceOrder(ORDER));
      for (int i = 0; i < 5; i++) {
        app.send(new Order.AddItems(ORDER, 100));
      }
      for (int i = 0; i < 5; i++) {
        app.load(ORDER);
      }
      ProvenanceGraph graph = ProvenanceGraph.of(app.spans());
      List<SpanData> loads = rehydrations(app);
      assertThat(loads).hasSizeGreaterThanOrEqualTo(10);
      for (SpanData load : loads) {
        assertThat(graph.reach(load).dangling()).as(load.toString()).isEmpty();
      }
      SpanData last = loads.get(loads.size() - 1);
      assertThat(graph.reach(last).contributors()).hasSize(128).isSubsetOf(app.eventSpanKeys(ORDER));
      assertThat(last.getAttributes().get(LINKS_UNLINKED)).isEqualTo(501 - 128);
      assertThat(app.spans()).noneMatch(s -> s.getName().equals(TracefoldAttributes.LINEAGE_SPAN_NAME));
    }
  }

  @Test
  void rehydration_eventStoreEmptiedUnderRunningApp_reachesExactlyTheNewStream() throws SQLException {
    DataSource db = newDatabase();
    JdbcEventStorageEngine engine = engine(db);
    try (AxonTestApp app = AxonTestApp.start(engine)) {
      app.send(new Order.PlaceOrder(ORDER));
      for (int i = 0; i < 3; i++) {
        app.send(new Order.AddItems(ORDER, 100));
      }
      app.load(ORDER); // the checkpoint now covers 301 events in memory
      int before = rehydrations(app).size();
      execute(db, "DELETE FROM domain_event_entry");
      execute(db, "DELETE FROM snapshot_event_entry");

      app.send(new Order.PlaceOrder(ORDER)); // the same id, another stream
      app.send(new Order.AddItems(ORDER, 3)); // loads it: the remembered lineage is foreign
      assertThat(app.load(ORDER).getItems()).isEqualTo(3);

      List<SpanData> after = rehydrations(app).subList(before, rehydrations(app).size());
      assertThat(after).hasSize(2);
      assertThat(after.get(0).getAttributes().get(LINEAGE_DISCARDED)).isTrue();
      assertThat(after.get(1).getAttributes().get(LINEAGE_DISCARDED)).isNull();
      ProvenanceGraph graph = ProvenanceGraph.of(app.spans());
      Set<String> newStream = app.eventSpanKeys(ORDER);
      assertThat(graph.reach(after.get(0)).contributors()).hasSize(1).isSubsetOf(newStream);
      ProvenanceGraph.Reach reach = app.assertLatestRehydrationReachesAllEvents(ORDER, app.spans());
      assertThat(reach.contributors()).hasSize(4);
    }
  }

  /** Older than the maximum age, or (a node's clock days ahead, a corrupt value) as far in the future. */
  @ParameterizedTest
  @ValueSource(ints = {25, -25})
  void rehydration_lineageOlderThanMaxAge_isEmittedAfreshIntoALiveTrace(int hoursLater) {
    MutableClock clock = new MutableClock();
    try (AxonTestApp app =
        AxonTestApp.start(
            new InMemoryEventStorageEngine(),
            Sampler.alwaysOn(),
            0,
            b -> b.setClock(clock).setLineageMaxAge(Duration.ofHours(24)),
            c -> {})) {
      app.send(new Order.PlaceOrder(ORDER));
      app.send(new Order.AddItems(ORDER, 299));
      app.load(ORDER);
      app.load(ORDER);
      assertThat(app.lastRehydration(ORDER).getAttributes().get(LINEAGE_SPANS)).isNull();

      clock.advance(Duration.ofHours(hoursLater));
      app.load(ORDER);
      SpanData load = app.lastRehydration(ORDER);
      // Two full nodes and the tail node over the 44 events after them.
      assertThat(load.getAttributes().get(LINEAGE_SPANS)).isEqualTo(3);
      ProvenanceGraph graph = ProvenanceGraph.of(app.spans());
      ProvenanceGraph.Reach reach = app.assertLatestRehydrationReachesAllEvents(ORDER, app.spans());
      // Nothing of the old lineage is linked: every lineage span passed is in this load's trace.
      assertThat(reach.intermediateSpans()).isNotEmpty();
      for (String key : reach.intermediateSpans()) {
        assertThat(key).startsWith(load.getTraceId());
      }
      assertThat(graph.maxLinksPerSpan()).isLessThanOrEqualTo(128);
    }
  }

  @Test
  void projection_ratioSampler_lastSampledUpdateReachesEveryExportedEventSpan() {
    OrderSummaryProjection projection = new OrderSummaryProjection();
    try (AxonTestApp app =
        AxonTestApp.start(
            new InMemoryEventStorageEngine(),
            RATIO,
            0,
            b -> b,
            withProjection(projection, AxonProjectionTest.Processor.SUBSCRIBING, 10))) {
      app.send(new Order.PlaceOrder(ORDER));
      for (int i = 0; i < 300; i++) {
        app.send(new Order.AddItems(ORDER, 1));
      }
      // One more update whose trace is sampled.
      SpanData update = null;
      for (int i = 0; i < 100 && update == null; i++) {
        int before = updates(app).size();
        app.send(new Order.AddItems(ORDER, 1));
        List<SpanData> after = updates(app);
        if (after.size() > before) {
          update = after.get(after.size() - 1);
        }
      }
      assertThat(update).as("a sampled update").isNotNull();
      // The update that was exported was the last event's: everything before it is history.
      ProvenanceGraph.Reach reach = ProvenanceGraph.of(app.spans()).reach(update);
      assertReachesExportedEvents(reach, app.spans(), app.eventSpanKeys(ORDER));
    }
  }

  /** Loads the order until a load's trace is sampled; returns that load's rehydration span. */
  private static SpanData sampledLoad(AxonTestApp app) {
    for (int i = 0; i < 100; i++) {
      int before = rehydrations(app).size();
      app.load(ORDER);
      List<SpanData> after = rehydrations(app);
      if (after.size() > before) {
        return after.get(after.size() - 1);
      }
    }
    throw new AssertionError("no sampled load in 100 tries");
  }

  private static List<SpanData> rehydrations(AxonTestApp app) {
    return app.spans().stream()
        .filter(s -> s.getName().startsWith("Repository.initializeState") && ORDER.equals(s.getAttributes().get(ENTITY_ID)))
        .collect(Collectors.toList());
  }

  private static List<SpanData> updates(AxonTestApp app) {
    return app.spans().stream()
        .filter(s -> s.getName().equals(AxonProjectionTest.UPDATE))
        .collect(Collectors.toList());
  }

  /**
   * Asserts the promise under head sampling: every exported event span of the entity is reached,
   * nothing that is not one of its events, and no lineage link dangles.
   */
  private static void assertReachesExportedEvents(
      ProvenanceGraph.Reach reach, List<SpanData> exported, Set<String> eventSpans) {
    Set<String> exportedEvents = new LinkedHashSet<>(eventSpans);
    exportedEvents.retainAll(exported.stream().map(s -> ProvenanceGraph.key(s.getSpanContext())).collect(Collectors.toSet()));
    assertThat(exportedEvents).as("some events sampled, some not").isNotEmpty().hasSizeLessThan(eventSpans.size());
    assertThat(reach.dangling()).isEmpty();
    assertThat(reach.contributors()).containsAll(exportedEvents).isSubsetOf(eventSpans);
    assertThat(reach.maxHops()).isLessThanOrEqualTo(3);
  }

  private static void execute(DataSource db, String sql) throws SQLException {
    try (Connection connection = db.getConnection(); Statement statement = connection.createStatement()) {
      statement.executeUpdate(sql);
    }
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
