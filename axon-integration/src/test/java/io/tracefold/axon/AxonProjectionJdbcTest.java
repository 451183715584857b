package io.tracefold.axon;

import static io.tracefold.axon.AxonProjectionTest.latestUpdate;
import static io.tracefold.axon.AxonProjectionTest.withProjection;
import static io.tracefold.core.TracefoldAttributes.ERRORS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.sdk.trace.data.SpanData;
import io.tracefold.core.Lineage;
import io.tracefold.core.testing.ProvenanceGraph;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.junit.jupiter.api.Test;

class AxonProjectionJdbcTest {

  @Test
  void jdbcLineageStore_restartOfTheConfiguration_latestUpdateStillReachesEveryEvent() throws SQLException {
    DataSource db = TestPostgres.newDatabase();
    JdbcEventStorageEngine engine = TestPostgres.engine(db);
    JdbcProjectionLineageStore store = JdbcProjectionLineageStore.create(db);
    store.createSchema();
    List<SpanData> before;
    try (AxonTestApp first =
        AxonTestApp.start(
            engine,
            b -> b.setProjectionLineageStore(store),
            withProjection(new OrderSummaryProjection(), AxonProjectionTest.Processor.SUBSCRIBING, 10))) {
      first.send(new Order.PlaceOrder("o-1"));
      for (int i = 0; i < 15; i++) {
        first.send(new Order.AddItems("o-1", 10));
      }
      before = first.spans();
    }
    // A new configuration, new process state, same database: the lineage comes from the table.
    OrderSummaryProjection projection = new OrderSummaryProjection();
    try (AxonTestApp second =
        AxonTestApp.start(
            TestPostgres.engine(db),
            b -> b.setProjectionLineageStore(JdbcProjectionLineageStore.create(db)),
            withProjection(projection, AxonProjectionTest.Processor.SUBSCRIBING, 10))) {
      second.send(new Order.AddItems("o-1", 5));
      assertThat(projection.handled).isEqualTo(5);

      List<SpanData> all = new ArrayList<>(before);
      all.addAll(second.spans());
      ProvenanceGraph graph = ProvenanceGraph.of(all);
      ProvenanceGraph.Reach reach = graph.reach(latestUpdate(second, "o-1"));
      assertThat(reach.dangling()).isEmpty();
      assertThat(reach.contributors()).hasSize(156).isEqualTo(second.eventSpanKeys("o-1"));
      assertThat(graph.maxLinksPerSpan()).isLessThanOrEqualTo(128);
    }
  }

  @Test
  void jdbcLineageStore_oversizedStoredValue_isNotReadButCountedCorruptAndReplaced() throws SQLException {
    DataSource db = TestPostgres.newDatabase();
    JdbcProjectionLineageStore store = JdbcProjectionLineageStore.create(db);
    store.createSchema();
    Lineage small = Lineage.empty().anchoredTo("e-1", "e-1");
    assertThat(store.save("P", "ok", null, small)).isTrue();
    assertThat(store.save("P", "big", null, small)).isTrue();
    try (Connection connection = db.getConnection(); Statement statement = connection.createStatement()) {
      statement.executeUpdate("UPDATE " + JdbcProjectionLineageStore.DEFAULT_TABLE
          + " SET lineage = repeat('x', " + (Lineage.MAX_ENCODED_LENGTH + 1) + ") WHERE entity_id = 'big'");
    }

    EntityLineage read = store.load("P", "big");
    assertThat(read).isNotNull();
    assertThat(read.lineage().isEmpty()).isTrue();
    assertThat(read.lineage().corrupt()).isEqualTo(1);
    assertThat(store.load("P", "ok").lineage()).isEqualTo(small);
    // The next update replaces it (compare-and-set on the version read).
    assertThat(store.save("P", "big", read, small)).isTrue();
    assertThat(store.load("P", "big").lineage()).isEqualTo(small);
  }

  @Test
  void jdbcLineageStore_databaseWithoutCharLength_readsUnboundedAndStillReportsAMissingTable() throws SQLException {
    DataSource db = TestPostgres.newDatabase();
    // A database that does not know CHAR_LENGTH (SQL Server spells it LEN).
    DataSource noCharLength = (DataSource) java.lang.reflect.Proxy.newProxyInstance(
        DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          Object result = invoke(db, method, args);
          if (!(result instanceof Connection)) {
            return result;
          }
          Connection connection = (Connection) result;
          return java.lang.reflect.Proxy.newProxyInstance(
              Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (p, m, a) -> {
                if (m.getName().equals("prepareStatement") && String.valueOf(a[0]).contains("CHAR_LENGTH")) {
                  throw new java.sql.SQLSyntaxErrorException("'CHAR_LENGTH' is not a recognized built-in function name.", "42000");
                }
                return invoke(connection, m, a);
              });
        });
    JdbcProjectionLineageStore store = JdbcProjectionLineageStore.create(noCharLength);
    store.createSchema();
    Lineage lineage = Lineage.empty().anchoredTo("e-1", "e-1");
    assertThat(store.save("P", "e", null, lineage)).isTrue();
    assertThat(store.load("P", "e").lineage()).isEqualTo(lineage);
    assertThat(store.load("P", "e").version()).isZero();
    assertThat(store.load("P", "other")).isNull();
    // A missing table still fails the read (both forms fail; nothing is taken for granted).
    JdbcProjectionLineageStore missing = JdbcProjectionLineageStore.create(noCharLength, "no_such_table");
    assertThatThrownBy(() -> missing.load("P", "e")).isInstanceOf(IllegalStateException.class)
        .hasRootCauseInstanceOf(java.sql.SQLSyntaxErrorException.class);
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void failingLineageStore_projectionStillRunsAndTheFailureIsCounted() {
    ProjectionLineageStore broken =
        new ProjectionLineageStore() {
          @Override
          public EntityLineage load(String projection, String entityId) {
            throw new IllegalStateException("database down");
          }

          @Override
          public boolean save(String projection, String entityId, EntityLineage expected, Lineage lineage) {
            throw new IllegalStateException("database down");
          }
        };
    OrderSummaryProjection projection = new OrderSummaryProjection();
    try (AxonTestApp app =
        AxonTestApp.start(
            new InMemoryEventStorageEngine(),
            b -> b.setProjectionLineageStore(broken),
            withProjection(projection, AxonProjectionTest.Processor.SUBSCRIBING, 10))) {
      app.send(new Order.PlaceOrder("o-1"));
      app.send(new Order.AddItems("o-1", 3));

      assertThat(projection.items).containsEntry("o-1", 3);
      SpanData latest = latestUpdate(app, "o-1");
      assertThat(latest.getAttributes().get(ERRORS)).isEqualTo(1);
      // Still linked to its own event.
      assertThat(ProvenanceGraph.of(app.spans()).reach(latest).contributors()).hasSize(1);
    }
  }
}
