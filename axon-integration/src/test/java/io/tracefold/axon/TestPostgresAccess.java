package io.tracefold.axon;

import java.sql.SQLException;
import javax.sql.DataSource;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

/** The suite's embedded PostgreSQL, for tests in other packages (test support). */
public final class TestPostgresAccess {

  private TestPostgresAccess() {}

  /** Returns a fresh, empty database. */
  public static DataSource newDatabase() throws SQLException {
    return TestPostgres.newDatabase();
  }

  /** Returns a JDBC storage engine (Jackson) on {@code dataSource}, its tables created. */
  public static JdbcEventStorageEngine engine(DataSource dataSource) {
    return TestPostgres.engine(dataSource);
  }
}
