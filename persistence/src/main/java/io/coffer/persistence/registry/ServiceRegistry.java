package io.coffer.persistence.registry;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Each control-plane process (api, taskmanager, conductor) keeps a row in {@code coffer_services}:
 * its service, host, pid, version, start time and readiness, refreshed every {@code
 * coffer.registry.interval}. The operators' dashboard reads them; a row older than three intervals
 * is a process that is gone, and rows gone for a day are removed.
 */
@ApplicationScoped
public class ServiceRegistry {

  private static final String UPSERT =
      "INSERT INTO coffer_services (id, service, host, pid, version, started, last_seen, ready,"
          + " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
          + " last_seen = EXCLUDED.last_seen, ready = EXCLUDED.ready, detail = EXCLUDED.detail,"
          + " version = EXCLUDED.version";
  private static final String ALL =
      "SELECT id, service, host, pid, version, started, last_seen, ready, detail"
          + " FROM coffer_services ORDER BY service, host, pid";
  private static final String PRUNE = "DELETE FROM coffer_services WHERE last_seen < ?";

  private final DataSource db;
  private final Instance<SmallRyeHealthReporter> health;
  private final String service;
  private final String version;
  private final Duration interval;
  private final String host;
  private final long pid = ProcessHandle.current().pid();
  private final Instant started = Instant.now();
  private final String id;

  ServiceRegistry(
      DataSource db,
      Instance<SmallRyeHealthReporter> health,
      @ConfigProperty(name = "quarkus.application.name") String service,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version,
      @ConfigProperty(name = "coffer.registry.interval", defaultValue = "10s") Duration interval) {
    this.db = db;
    this.health = health;
    this.service = service.replaceFirst("^coffer-", "");
    this.version = version;
    this.interval = interval;
    this.host = hostName();
    this.id = this.service + "@" + host + ":" + pid;
  }

  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** A control-plane process as last recorded. */
  public record Member(
      String id,
      String service,
      String host,
      long pid,
      String version,
      Instant started,
      Instant lastSeen,
      boolean ready,
      String detail) {

    /** Whether the process refreshed its row recently enough to count as running. */
    public boolean alive(Instant now, Duration interval) {
      return lastSeen.plus(interval.multipliedBy(3)).isAfter(now);
    }
  }

  /** How often rows are refreshed. */
  public Duration interval() {
    return interval;
  }

  @Scheduled(
      every = "${coffer.registry.interval:10s}",
      delayed = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void refresh() {
    boolean ready = true;
    String detail = null;
    if (health.isResolvable()) {
      SmallRyeHealth readiness = health.get().getReadiness();
      ready = !readiness.isDown();
      if (!ready) {
        detail = down(readiness.getPayload());
      }
    }
    Instant now = Instant.now();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(UPSERT)) {
      ps.setString(1, id);
      ps.setString(2, service);
      ps.setString(3, host);
      ps.setLong(4, pid);
      ps.setString(5, version);
      ps.setTimestamp(6, Timestamp.from(started));
      ps.setTimestamp(7, Timestamp.from(now));
      ps.setBoolean(8, ready);
      ps.setString(9, detail);
      ps.executeUpdate();
      try (PreparedStatement prune = c.prepareStatement(PRUNE)) {
        prune.setTimestamp(1, Timestamp.from(now.minus(Duration.ofDays(1))));
        prune.executeUpdate();
      }
    } catch (SQLException e) {
      Log.debugf("service registry not refreshed: %s", e.getMessage());
    }
  }

  private static String down(JsonObject payload) {
    StringBuilder sb = new StringBuilder();
    JsonValue checks = payload.get("checks");
    if (checks != null && checks.getValueType() == JsonValue.ValueType.ARRAY) {
      for (JsonValue v : checks.asJsonArray()) {
        JsonObject check = v.asJsonObject();
        if (!"UP".equals(check.getString("status", ""))) {
          if (sb.length() > 0) {
            sb.append(", ");
          }
          sb.append(check.getString("name", "?")).append(" down");
        }
      }
    }
    String s = sb.toString();
    return s.length() > 1000 ? s.substring(0, 1000) : s;
  }

  void onStop(@Observes ShutdownEvent event) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM coffer_services WHERE id = ?")) {
      ps.setString(1, id);
      ps.executeUpdate();
    } catch (SQLException e) {
      Log.debugf("service registry row not removed: %s", e.getMessage());
    }
  }

  /** Every recorded process. */
  public List<Member> members() {
    List<Member> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(ALL);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new Member(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                rs.getTimestamp(6).toInstant(),
                rs.getTimestamp(7).toInstant(),
                rs.getBoolean(8),
                rs.getString(9)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the service registry", e);
    }
    return out;
  }
}
