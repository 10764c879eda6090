package io.coffer.guest.datastore.postgresql;

import io.coffer.guest.datastore.EngineLogs;
import io.coffer.guest.datastore.GuestError;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * PostgreSQL's {@code general} log: the server's log file, where errors always go and, once
 * enabled, every statement ({@code log_statement = 'all'}, as Trove's {@code general} log does).
 * Slow statements go there whenever a configuration group sets {@code log_min_duration_statement}.
 * Both settings change on the running server with a reload (no restart) and are kept by {@code
 * ALTER SYSTEM} for later starts.
 */
@ApplicationScoped
class PgLogs implements EngineLogs {

  static final String GENERAL = "general";

  private final PgServer server;

  PgLogs(PgServer server) {
    this.server = server;
  }

  @Override
  public List<Log> logs() {
    return List.of(new Log(GENERAL, server.home().resolve("logs").resolve("postgresql.log")));
  }

  @Override
  public boolean enabled(String name) {
    check(name);
    try (Connection c = server.connect("postgres");
        Statement st = c.createStatement();
        // what the server runs with (the guest's own sessions set log_statement to none)
        ResultSet rs =
            st.executeQuery(
                "SELECT setting FROM pg_file_settings WHERE name = 'log_statement' AND applied")) {
      return rs.next() && "all".equals(rs.getString(1));
    } catch (SQLException e) {
      throw new GuestError("cannot read the server's logging settings: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean enable(String name, boolean on) {
    check(name);
    try (Connection c = server.connect("postgres");
        Statement st = c.createStatement()) {
      st.execute(
          on ? "ALTER SYSTEM SET log_statement = 'all'" : "ALTER SYSTEM RESET log_statement");
      st.execute("SELECT pg_reload_conf()");
      return false;
    } catch (SQLException e) {
      throw new GuestError("cannot change the server's logging: " + e.getMessage(), e);
    }
  }

  private static void check(String name) {
    if (!GENERAL.equals(name)) {
      throw GuestError.badRequest("PostgreSQL has no log named " + name);
    }
  }
}
