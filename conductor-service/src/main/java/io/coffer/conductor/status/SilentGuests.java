package io.coffer.conductor.status;

import io.coffer.conductor.config.ConductorConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Watches for silent guests: live instances without a task whose last heartbeat is older than the
 * expiry. The API shows them as {@code operating_status: ERROR}; here they are counted ({@code
 * coffer_conductor_silent_guests}), the age of the oldest heartbeat is exported ({@code
 * coffer_conductor_heartbeat_age_max_seconds}), and each guest falling silent is logged once.
 */
@ApplicationScoped
class SilentGuests {

  private static final String SILENT =
      "SELECT i.id FROM instances i JOIN service_statuses s ON s.instance_id = i.id"
          + " WHERE NOT i.deleted AND i.task_id = 1 AND s.status_description <> 'restart required'"
          + " AND (s.updated_at IS NULL OR s.updated_at < ?)";
  private static final String OLDEST =
      "SELECT coalesce(extract(epoch FROM (? - min(s.updated_at))), 0) FROM instances i"
          + " JOIN service_statuses s ON s.instance_id = i.id WHERE NOT i.deleted AND i.task_id = 1";

  private final DataSource db;
  private final ConductorConfig config;
  private final Clock clock;
  private final AtomicLong silent = new AtomicLong();
  private final AtomicLong oldest = new AtomicLong();
  private Set<String> known = new HashSet<>();

  SilentGuests(DataSource db, ConductorConfig config, Clock clock, MeterRegistry registry) {
    this.db = db;
    this.config = config;
    this.clock = clock;
    registry.gauge("coffer.conductor.silent.guests", silent);
    registry.gauge("coffer.conductor.heartbeat.age.max.seconds", oldest);
  }

  @Scheduled(
      every = "${coffer.conductor.silent-check-interval}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void check() {
    Timestamp now = Timestamp.from(clock.instant());
    Set<String> current = new HashSet<>();
    try (Connection c = db.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(SILENT)) {
        ps.setTimestamp(1, Timestamp.from(clock.instant().minus(config.heartbeatExpiry())));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            current.add(rs.getString(1));
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(OLDEST)) {
        ps.setTimestamp(1, now);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          oldest.set(rs.getLong(1));
        }
      }
    } catch (SQLException e) {
      Log.warnf("silent guest check failed: %s", e.getMessage());
      return;
    }
    for (String id : current) {
      if (!known.contains(id)) {
        Log.warnf("instance %s: guest silent for more than %s", id, config.heartbeatExpiry());
      }
    }
    known = current;
    silent.set(current.size());
  }
}
