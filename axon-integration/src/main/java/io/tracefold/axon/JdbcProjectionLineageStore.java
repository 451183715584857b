package io.tracefold.axon;

import io.tracefold.core.Lineage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ProjectionLineageStore} in a relational table, meant for the database of the read
 * model (tested on PostgreSQL). Schema ({@link #createSchema()} creates it if absent):
 *
 * <pre>
 * CREATE TABLE tracefold_projection_lineage (
 *   projection     VARCHAR(255) NOT NULL,
 *   entity_id      VARCHAR(255) NOT NULL,
 *   lineage        TEXT         NOT NULL,  -- Lineage.encode(): forest peaks and pending contexts
 *   first_event_id VARCHAR(255),
 *   last_event_id  VARCHAR(255),
 *   PRIMARY KEY (projection, entity_id))
 * </pre>
 *
 * <p>Each call uses its own connection from the data source; with a transaction-aware data source
 * (e.g. Spring's) the row is written in the read model's transaction.
 */
public final class JdbcProjectionLineageStore implements ProjectionLineageStore {

  /** The default table name. */
  public static final String DEFAULT_TABLE = "tracefold_projection_lineage";

  private final DataSource dataSource;
  private final String table;

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

  /** Creates the table if it does not exist. */
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
              + "PRIMARY KEY (projection, entity_id))");
    } catch (SQLException e) {
      throw new IllegalStateException("could not create table " + table, e);
    }
  }

  @Override
  public @Nullable EntityLineage load(String projection, String entityId) {
    String sql = "SELECT lineage, first_event_id, last_event_id FROM " + table + " WHERE projection = ? AND entity_id = ?";
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, projection);
      statement.setString(2, entityId);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return null;
        }
        return EntityLineage.of(Lineage.decode(row.getString(1)), row.getString(2), row.getString(3));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read lineage of " + projection + "/" + entityId, e);
    }
  }

  @Override
  public void save(String projection, String entityId, EntityLineage lineage) {
    String update =
        "UPDATE " + table + " SET lineage = ?, first_event_id = ?, last_event_id = ? WHERE projection = ? AND entity_id = ?";
    String insert =
        "INSERT INTO " + table + " (lineage, first_event_id, last_event_id, projection, entity_id) VALUES (?, ?, ?, ?, ?)";
    String encoded = lineage.lineage().encode();
    try (Connection connection = dataSource.getConnection()) {
      if (execute(connection, update, encoded, lineage, projection, entityId) == 0) {
        try {
          execute(connection, insert, encoded, lineage, projection, entityId);
        } catch (SQLException raced) {
          // Another node inserted the row first: ours is the newer value.
          execute(connection, update, encoded, lineage, projection, entityId);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not write lineage of " + projection + "/" + entityId, e);
    }
  }

  private static int execute(
      Connection connection, String sql, String encoded, EntityLineage lineage, String projection, String entityId)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, encoded);
      statement.setString(2, lineage.firstEventId());
      statement.setString(3, lineage.lastEventId());
      statement.setString(4, projection);
      statement.setString(5, entityId);
      return statement.executeUpdate();
    }
  }
}
