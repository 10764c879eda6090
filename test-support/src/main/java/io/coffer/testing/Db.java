package io.coffer.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Plain JDBC on the tests' infrastructure database, for fixtures and assertions. */
public final class Db {

  private Db() {}

  /** A new connection (autocommit). */
  public static Connection connect() throws SQLException {
    return DriverManager.getConnection(TestEnv.jdbcUrl(), TestEnv.dbUser(), TestEnv.dbPassword());
  }

  /** Runs an INSERT/UPDATE/DELETE and returns the row count. */
  public static int update(String sql, Object... args) {
    try (Connection c = connect();
        PreparedStatement ps = prepare(c, sql, args)) {
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Runs a query and returns its rows as column-name maps. */
  public static List<Map<String, Object>> rows(String sql, Object... args) {
    try (Connection c = connect();
        PreparedStatement ps = prepare(c, sql, args);
        ResultSet rs = ps.executeQuery()) {
      List<Map<String, Object>> out = new ArrayList<>();
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.put(md.getColumnLabel(i), rs.getObject(i));
        }
        out.add(row);
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** The first row, if any. */
  public static Optional<Map<String, Object>> row(String sql, Object... args) {
    List<Map<String, Object>> rows = rows(sql, args);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** The first column of the first row, or {@code null}. */
  public static Object value(String sql, Object... args) {
    return row(sql, args).map(r -> r.values().iterator().next()).orElse(null);
  }

  private static PreparedStatement prepare(Connection c, String sql, Object... args)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      ps.setObject(i + 1, args[i]);
    }
    return ps;
  }
}
