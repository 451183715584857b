package io.tracefold.axon;

import io.tracefold.core.Lineage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ProjectionLineageStore} in a relational table, meant for the database of the read
 * model. Supported: PostgreSQL (tested, embedded), and any database with standard SQL, savepoints
 * and a unique primary key (the generic strategy). Schema ({@link #createSchema()} creates it, and
 * migrates a table of the first version by adding {@code version}):
 *
 * <pre>
 * CREATE TABLE tracefold_projection_lineage (
 *   projection     VARCHAR(255) NOT NULL,  -- the projection class; '#' + digest when longer
 *   entity_id      VARCHAR(255) NOT NULL,  -- the entity id; '#' + digest when longer
 *   lineage        TEXT         NOT NULL,  -- Lineage.encode(): anchored, bounded
 *   first_event_id VARCHAR(255),           -- anchor: first event applied (for people; in lineage too)
 *   last_event_id  VARCHAR(255),           -- anchor: last event applied
 *   version        BIGINT       NOT NULL DEFAULT 0,  -- compare-and-set
 *   PRIMARY KEY (projection, entity_id))
 * -- migration from the first version (no version column):
 * ALTER TABLE tracefold_projection_lineage ADD COLUMN version BIGINT NOT NULL DEFAULT 0
 * </pre>
 *
 * <p>Every write is one statement: on PostgreSQL {@code INSERT … ON CONFLICT DO NOTHING} for a new
 * entity, elsewhere a plain {@code INSERT}; and {@code UPDATE … WHERE version = ?} for a known one,
 * so a concurrent writer makes it store nothing (and Tracefold retries) rather than fail. Inside a
 * transaction (a transaction-aware data source, e.g. Spring's, hands out the read model's
 * connection) each statement runs under a savepoint that is rolled back if it fails, so that a
 * failing statement of ours never aborts the read model's transaction; the row then commits or
 * rolls back with the read model. On a plain data source each write commits on its own.
 */
public final class JdbcProjectionLineageStore implements ProjectionLineageStore {

  /** The default table name. */
  public static final String DEFAULT_TABLE = "tracefold_projection_lineage";

  /** The longest projection name or entity id stored as it is; longer ones are stored as a digest. */
  static final int MAX_KEY_LENGTH = 200;

  // Stands for a stored value longer than Lineage.MAX_ENCODED_LENGTH: not text, so it decodes to
  // the empty lineage counted corrupt.
  private static final Object OVERSIZED = new Object();

  private static final Logger LOGGER = LoggerFactory.getLogger("io.tracefold");

  private final DataSource dataSource;
  private final String table;
  // False once the database proved to lack CHAR_LENGTH: reads are then unbounded.
  private volatile boolean boundedReads = true;

  private JdbcProjectionLineageStore(DataSource dataSource, String table) {
    this.dataSource = dataSource;
    this.table = table;
  }

  /** Returns a store in the {@link #DEFAULT_TABLE} of {@code dataSource}. */
  public static JdbcProjectionLineageStore create(DataSource dataSource) {
    return create(dataSource, DEFAULT_TABLE);
  }

  /**
   * Returns a store in {@code table} of {@code dataSource}.
   *
   * @throws IllegalArgumentException if {@code table} is not a plain SQL identifier
   */
  public static JdbcProjectionLineageStore create(DataSource dataSource, String table) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(table, "table");
    if (!table.matches("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?")) {
      throw new IllegalArgumentException("table must be a plain SQL identifier, was '" + table + "'");
    }
    return new JdbcProjectionLineageStore(dataSource, table);
  }

  /** Creates the table if it does not exist, and adds the version column to a first-version table. */
  public void createSchema() {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE IF NOT EXISTS " + table + " ("
              + "projection VARCHAR(255) NOT NULL, "
              + "entity_id VARCHAR(255) NOT NULL, "
              + "lineage TEXT NOT NULL, "
              + "first_event_id VARCHAR(255), "
              + "last_event_id VARCHAR(255), "
              + "version BIGINT NOT NULL DEFAULT 0, "
              + "PRIMARY KEY (projection, entity_id))");
      if (!hasVersionColumn(connection)) {
        statement.execute("ALTER TABLE " + table + " ADD COLUMN version BIGINT NOT NULL DEFAULT 0");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create table " + table, e);
    }
  }

  private boolean hasVersionColumn(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
      for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
        if ("version".equalsIgnoreCase(row.getMetaData().getColumnName(i))) {
          return true;
        }
      }
      return false;
    }
  }

  /** Returns the form a projection name or entity id takes in the key columns. */
  static String key(String value) {
    if (value.length() <= MAX_KEY_LENGTH && !value.startsWith("#")) {
      return value;
    }
    return Lineage.anchorId("#" + value);
  }

  @Override
  public @Nullable EntityLineage load(String projection, String entityId) {
    try (Connection connection = dataSource.getConnection()) {
      try {
        return load(connection, projection, entityId, boundedReads);
      } catch (SQLException e) {
        if (!boundedReads || !isSyntaxError(e)) {
          throw e;
        }
        // A database without CHAR_LENGTH (SQL Server has LEN): read unbounded from now on, if
        // that works (a missing table fails both ways and is reported as it is).
        EntityLineage read;
        try {
          read = load(connection, projection, entityId, false);
        } catch (SQLException unbounded) {
          e.addSuppressed(unbounded);
          throw e;
        }
        boundedReads = false;
        LOGGER.warn("Tracefold: table {} read without a length bound: the database has no CHAR_LENGTH ({})",
            table, e.toString());
        return read;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read lineage of " + projection + "/" + AggregateTracing.boundedId(entityId), e);
    }
  }

  private @Nullable EntityLineage load(Connection connection, String projection, String entityId, boolean bounded)
      throws SQLException {
    // Bounded before it leaves the database: an oversized row (written by something else) is never
    // transferred, it decodes as corrupt and the next update replaces it.
    String sql = bounded
        ? "SELECT CASE WHEN CHAR_LENGTH(lineage) <= ? THEN lineage END, first_event_id, last_event_id, version,"
            + " CHAR_LENGTH(lineage) FROM " + table + " WHERE projection = ? AND entity_id = ?"
        : "SELECT lineage, first_event_id, last_event_id, version, 0 FROM " + table
            + " WHERE projection = ? AND entity_id = ?";
    // Under a savepoint too: on PostgreSQL a failing read (a missing table or grant, a statement
    // timeout) would otherwise abort the read model's transaction that shares the connection.
    Savepoint savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int parameter = 1;
      if (bounded) {
        statement.setInt(parameter++, Lineage.MAX_ENCODED_LENGTH);
      }
      statement.setString(parameter++, key(projection));
      statement.setString(parameter, key(entityId));
      EntityLineage read;
      try (ResultSet row = statement.executeQuery()) {
        read = row.next() ? read(row) : null;
      }
      release(connection, savepoint);
      return read;
    } catch (SQLException | RuntimeException e) {
      rollback(connection, savepoint, e);
      throw e;
    }
  }

  /**
   * Undoes just our statement after {@code failure}, so the read model's transaction is not
   * aborted by it; a failing rollback is added to {@code failure}, which stays the one reported.
   *
   * @return false if the rollback failed
   */
  private static boolean rollback(Connection connection, @Nullable Savepoint savepoint, Exception failure) {
    if (savepoint == null) {
      return true;
    }
    try {
      connection.rollback(savepoint);
      return true;
    } catch (SQLException rollback) {
      failure.addSuppressed(rollback);
      return false;
    }
  }

  private static boolean isSyntaxError(SQLException e) {
    String state = e.getSQLState();
    return e instanceof java.sql.SQLSyntaxErrorException || (state != null && state.startsWith("42"));
  }

  private static EntityLineage read(ResultSet row) throws SQLException {
    Lineage lineage =
        row.getLong(5) > Lineage.MAX_ENCODED_LENGTH ? Lineage.decode(OVERSIZED) : Lineage.decode(row.getString(1));
    if (lineage.firstEventId() == null && lineage.lastEventId() == null) {
      // A first-version row: its anchor is in the columns.
      lineage = lineage.anchoredTo(row.getString(2), row.getString(3));
    }
    return EntityLineage.of(lineage, row.getLong(4));
  }

  @Override
  public boolean save(String projection, String entityId, @Nullable EntityLineage expected, Lineage lineage) {
    String encoded = lineage.encode();
    try (Connection connection = dataSource.getConnection()) {
      boolean postgres = isPostgres(connection);
      String sql;
      if (expected == null) {
        sql = "INSERT INTO " + table
            + " (lineage, first_event_id, last_event_id, projection, entity_id, version) VALUES (?, ?, ?, ?, ?, 0)"
            + (postgres ? " ON CONFLICT (projection, entity_id) DO NOTHING" : "");
      } else {
        sql = "UPDATE " + table + " SET lineage = ?, first_event_id = ?, last_event_id = ?, version = version + 1"
            + " WHERE projection = ? AND entity_id = ? AND version = ?";
      }
      Savepoint savepoint = connection.getAutoCommit() ? null : connection.setSavepoint();
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        statement.setString(1, encoded);
        statement.setString(2, lineage.firstEventId());
        statement.setString(3, lineage.lastEventId());
        statement.setString(4, key(projection));
        statement.setString(5, key(entityId));
        if (expected != null) {
          statement.setLong(6, expected.version());
        }
        boolean stored = statement.executeUpdate() == 1;
        release(connection, savepoint);
        return stored;
      } catch (SQLException e) {
        boolean undone = rollback(connection, savepoint, e);
        if (undone && expected == null && isUniqueViolation(e)) {
          return false; // another writer inserted the row first: a lost race, not a failure
        }
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "could not write lineage of " + projection + "/" + AggregateTracing.boundedId(entityId), e);
    }
  }

  private static void release(Connection connection, @Nullable Savepoint savepoint) {
    if (savepoint == null) {
      return;
    }
    try {
      connection.releaseSavepoint(savepoint);
    } catch (SQLException e) {
      // Some drivers do not release savepoints; it goes with the transaction.
    }
  }

  private static boolean isPostgres(Connection connection) {
    try {
      return connection.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  private static boolean isUniqueViolation(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.equals("23505") || state.startsWith("23"));
  }
}
