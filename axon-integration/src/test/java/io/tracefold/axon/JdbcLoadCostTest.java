package io.tracefold.axon;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;

/**
 * What a load costs the event store with and without Tracefold, counted on a real one: Axon's
 * {@link JdbcEventStorageEngine} on PostgreSQL with Jackson, which deserialises an event's metadata
 * only when it is read. Tracefold reads each event's context once, at the first load that sees the
 * event; later loads of the same aggregate read no event's metadata and send exactly the statements
 * plain Axon sends (the anchor checks use the identifiers Axon reads anyway).
 */
class JdbcLoadCostTest {

  private static final String ORDER = "o-1";

  @Test
  void load_steadyState_readsNoMetadataAndSendsPlainAxonsStatements() throws SQLException {
    Counted plain = new Counted(TestPostgres.newDatabase());
    Counted traced = new Counted(TestPostgres.newDatabase());
    try (AxonTestApp plainApp = AxonTestApp.start(plain.engine, false, 0);
        AxonTestApp tracedApp = AxonTestApp.start(traced.engine, true, 0)) {
      for (AxonTestApp app : List.of(plainApp, tracedApp)) {
        app.send(new Order.PlaceOrder(ORDER));
        // Loads the order (1 event), then applies 9 events live: none of their contexts read yet.
        app.send(new Order.AddItems(ORDER, 9));
      }
      plain.reset();
      traced.reset();

      assertThat(tracedApp.load(ORDER).getItems()).isEqualTo(9);
      plainApp.load(ORDER);
      // The first load after the command reads the contexts of the 9 events it has not seen.
      assertThat(traced.metaDataReads.get()).isEqualTo(9);
      assertThat(plain.metaDataReads.get()).isZero();
      assertThat(traced.statements).isEqualTo(plain.statements);

      for (int i = 0; i < 3; i++) {
        plain.reset();
        traced.reset();
        assertThat(tracedApp.load(ORDER).getItems()).isEqualTo(9);
        plainApp.load(ORDER);
        assertThat(traced.metaDataReads.get()).as("metadata read again at load %d", i + 2).isZero();
        assertThat(traced.statements).isEqualTo(plain.statements).isNotEmpty();
        assertThat(traced.payloadReads.get()).isEqualTo(plain.payloadReads.get()).isEqualTo(10);
      }
      tracedApp.assertLatestRehydrationReachesAllEvents(ORDER, tracedApp.spans());
    }
  }

  /** A storage engine whose statements and metadata deserialisations are counted. */
  private static final class Counted {
    final List<String> statements = new ArrayList<>();
    final AtomicInteger metaDataReads = new AtomicInteger();
    final AtomicInteger payloadReads = new AtomicInteger();
    final JdbcEventStorageEngine engine;

    Counted(DataSource dataSource) {
      Serializer json = TestPostgres.JSON;
      Serializer counting =
          new Serializer() {
            @Override
            public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
              return json.serialize(object, expectedRepresentation);
            }

            @Override
            public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
              return json.canSerializeTo(expectedRepresentation);
            }

            @Override
            public <S, T> T deserialize(SerializedObject<S> serializedObject) {
              if (MetaData.class.getName().equals(serializedObject.getType().getName())) {
                metaDataReads.incrementAndGet();
              } else {
                payloadReads.incrementAndGet();
              }
              return json.deserialize(serializedObject);
            }

            @Override
            @SuppressWarnings("rawtypes")
            public Class classForType(SerializedType type) {
              return json.classForType(type);
            }

            @Override
            public SerializedType typeForClass(Class type) {
              return json.typeForClass(type);
            }

            @Override
            public Converter getConverter() {
              return json.getConverter();
            }
          };
      engine =
          JdbcEventStorageEngine.builder()
              .connectionProvider(() -> counting(dataSource.getConnection()))
              .transactionManager(NoTransactionManager.INSTANCE)
              .eventSerializer(counting)
              .snapshotSerializer(counting)
              .schema(TestPostgres.SCHEMA)
              .build();
      engine.createSchema(PostgresEventTableFactory.INSTANCE);
    }

    void reset() {
      synchronized (statements) {
        statements.clear();
      }
      metaDataReads.set(0);
      payloadReads.set(0);
    }

    private Connection counting(Connection connection) {
      return (Connection) Proxy.newProxyInstance(
          Connection.class.getClassLoader(),
          new Class<?>[] {Connection.class},
          (proxy, method, args) -> {
            if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String) {
              synchronized (statements) {
                statements.add((String) args[0]);
              }
            }
            try {
              return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }
  }
}
