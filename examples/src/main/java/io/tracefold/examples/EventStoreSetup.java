package io.tracefold.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.tracefold.axon.InMemoryProjectionLineageStore;
import io.tracefold.axon.JdbcProjectionLineageStore;
import io.tracefold.axon.ProjectionLineageStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * The event storage engine of one run and the projection lineage store beside it: in memory, or
 * PostgreSQL (a given JDBC URL, or an embedded PostgreSQL) with Axon's JDBC engine, Jackson for
 * events and snapshots, and Tracefold's JDBC lineage store in the same database.
 */
final class EventStoreSetup implements AutoCloseable {

  /** Axon's tables under the names a Spring/JPA application uses, so the example can share them. */
  static final EventSchema SCHEMA =
      EventSchema.builder()
          .eventTable("domain_event_entry")
          .snapshotTable("snapshot_event_entry")
          .globalIndexColumn("global_index")
          .timestampColumn("time_stamp")
          .eventIdentifierColumn("event_identifier")
          .aggregateIdentifierColumn("aggregate_identifier")
          .sequenceNumberColumn("sequence_number")
          .typeColumn("type")
          .payloadTypeColumn("payload_type")
          .payloadRevisionColumn("payload_revision")
          .payloadColumn("payload")
          .metaDataColumn("meta_data")
          .build();

  final EventStorageEngine engine;
  final ProjectionLineageStore lineageStore;
  final String description;
  /** Whether the database may hold earlier runs' aggregates (ids then get a per-run suffix). */
  final boolean shared;
  private final @Nullable HikariDataSource dataSource;
  private final @Nullable EmbeddedPostgres embedded;

  private EventStoreSetup(
      EventStorageEngine engine,
      ProjectionLineageStore lineageStore,
      String description,
      boolean shared,
      @Nullable HikariDataSource dataSource,
      @Nullable EmbeddedPostgres embedded) {
    this.engine = engine;
    this.lineageStore = lineageStore;
    this.description = description;
    this.shared = shared;
    this.dataSource = dataSource;
    this.embedded = embedded;
  }

  /** Sets up the store {@code options} ask for. */
  static EventStoreSetup create(ExampleOptions options, Serializer serializer) {
    if (!options.postgres()) {
      return new EventStoreSetup(
          new InMemoryEventStorageEngine(), new InMemoryProjectionLineageStore(), "in memory", false, null, null);
    }
    EmbeddedPostgres embedded = null;
    String url = options.jdbcUrl();
    String user = options.jdbcUser();
    String password = options.jdbcPassword();
    if (url == null) {
      try {
        embedded = EmbeddedPostgres.builder().start();
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
      }
      url = embedded.getJdbcUrl("postgres", "postgres");
      user = "postgres";
      password = null;
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setMaximumPoolSize(8);
    config.setPoolName("tracefold-example");
    HikariDataSource dataSource;
    try {
      dataSource = new HikariDataSource(config);
    } catch (RuntimeException e) {
      closeQuietly(embedded);
      throw e;
    }
    JdbcEventStorageEngine engine =
        JdbcEventStorageEngine.builder()
            .connectionProvider(new DataSourceConnectionProvider(dataSource))
            .transactionManager(NoTransactionManager.INSTANCE)
            .eventSerializer(serializer)
            .snapshotSerializer(serializer)
            .schema(SCHEMA)
            .build();
    engine.createSchema(PostgresEventTableFactory.INSTANCE);
    JdbcProjectionLineageStore lineageStore = JdbcProjectionLineageStore.create(dataSource);
    lineageStore.createSchema();
    String description =
        embedded != null
            ? "PostgreSQL (embedded, " + redact(url) + ")"
            : "PostgreSQL (" + redact(url) + ")";
    return new EventStoreSetup(engine, lineageStore, description, embedded == null, dataSource, embedded);
  }

  private static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static void closeQuietly(@Nullable AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      // shutting down anyway
    }
  }

  @Override
  public void close() {
    closeQuietly(dataSource);
    closeQuietly(embedded);
  }
}
