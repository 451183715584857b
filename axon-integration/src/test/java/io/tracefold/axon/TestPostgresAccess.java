package io.tracefold.axon;

import java.sql.SQLException;
import javax.sql.DataSource;

/** The suite's embedded PostgreSQL, for tests in other packages (test support). */
public final class TestPostgresAccess {

  private TestPostgresAccess() {}

  /** Returns a fresh, empty database. */
  public static DataSource newDatabase() throws SQLException {
    return TestPostgres.newDatabase();
  }
}
