package io.coffer.guest.datastore.mysql;

import io.coffer.guest.datastore.EngineLogs;
import io.coffer.guest.datastore.GuestError;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * MySQL's and MariaDB's {@code general} and {@code slow_query} logs, as Trove names them: files in
 * the instance's log directory, switched on and off on the running server ({@code SET GLOBAL}, no
 * restart) and kept for later starts in an option file of their own. The slow-query threshold is
 * {@code long_query_time}, which a configuration group sets.
 */
@ApplicationScoped
class MySqlLogs implements EngineLogs {

  private static final Map<String, String> SWITCH =
      Map.of("general", "general_log", "slow_query", "slow_query_log");
  private static final Map<String, String> FILE =
      Map.of("general", "general_log_file", "slow_query", "slow_query_log_file");

  private final MySqlServer server;

  MySqlLogs(MySqlServer server) {
    this.server = server;
  }

  @Override
  public List<Log> logs() {
    return List.of(
        new Log("general", server.home().resolve("logs").resolve("general.log")),
        new Log("slow_query", server.home().resolve("logs").resolve("slow_query.log")));
  }

  private Path fileOf(String name) {
    return logs().stream()
        .filter(l -> l.name().equals(name))
        .findFirst()
        .orElseThrow(() -> GuestError.badRequest("MySQL has no log named " + name))
        .file();
  }

  @Override
  public boolean enabled(String name) {
    fileOf(name);
    try (Connection c = server.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT @@global." + SWITCH.get(name))) {
      return rs.next() && rs.getInt(1) == 1;
    } catch (SQLException e) {
      throw new GuestError("cannot read the server's logging settings: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean enable(String name, boolean on) {
    Path file = fileOf(name);
    try (Connection c = server.connect();
        Statement st = c.createStatement()) {
      if (on) {
        st.execute("SET GLOBAL " + FILE.get(name) + " = '" + file.toAbsolutePath() + "'");
      }
      st.execute("SET GLOBAL " + SWITCH.get(name) + " = " + (on ? "ON" : "OFF"));
      // the same for the next start
      StringBuilder cnf = new StringBuilder("[mysqld]\nlog-output = FILE\n");
      for (String log : SWITCH.keySet()) {
        boolean now = log.equals(name) ? on : enabledQuietly(st, log);
        cnf.append(SWITCH.get(log).replace('_', '-')).append(" = ").append(now ? "ON" : "OFF");
        cnf.append('\n');
        cnf.append(FILE.get(log).replace('_', '-'))
            .append(" = ")
            .append(fileOf(log).toAbsolutePath())
            .append('\n');
      }
      Path option = server.confDir().resolve("40-logs.cnf");
      Path tmp = option.resolveSibling("40-logs.cnf.tmp");
      Files.writeString(tmp, cnf.toString(), StandardCharsets.UTF_8);
      Files.move(tmp, option, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return false;
    } catch (SQLException | IOException e) {
      throw new GuestError("cannot change the server's logging: " + e.getMessage(), e);
    }
  }

  private static boolean enabledQuietly(Statement st, String log) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT @@global." + SWITCH.get(log))) {
      return rs.next() && rs.getInt(1) == 1;
    }
  }
}
