package io.coffer.taskmanager.backup;

import io.coffer.taskmanager.config.TaskManagerConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * No backup stays running forever: one that outlives the backup timeout, whose guest stopped
 * sending heartbeats, or whose instance is gone, ends FAILED with the reason, and its partial data
 * is removed.
 */
@ApplicationScoped
class BackupWatcher {

  private static final String RUNNING =
      "SELECT b.id, b.created, i.id IS NULL OR i.deleted AS gone, s.updated_at"
          + " FROM backups b LEFT JOIN instances i ON i.id = b.instance_id"
          + " LEFT JOIN service_statuses s ON s.instance_id = b.instance_id"
          + " WHERE NOT b.deleted AND b.state IN ('NEW', 'BUILDING', 'SAVING')";

  private final DataSource db;
  private final TaskManagerConfig config;
  private final BackupFailures failures;
  private final Clock clock;

  BackupWatcher(DataSource db, TaskManagerConfig config, BackupFailures failures, Clock clock) {
    this.db = db;
    this.config = config;
    this.failures = failures;
    this.clock = clock;
  }

  @Scheduled(
      every = "${coffer.taskmanager.sweep-interval}",
      delayed = "5s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void sweep() {
    Instant now = clock.instant();
    Duration timeout = config.backup().timeout();
    Duration silence = config.backup().guestSilence();
    Map<String, String> failed = new LinkedHashMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(RUNNING);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String id = rs.getString(1);
        Instant created = rs.getTimestamp(2).toInstant();
        boolean gone = rs.getBoolean(3);
        Timestamp heartbeat = rs.getTimestamp(4);
        if (gone) {
          failed.put(id, "the instance was deleted during the backup");
        } else if (created.plus(timeout).isBefore(now)) {
          failed.put(id, "the backup did not finish within " + timeout.toMinutes() + " min");
        } else if (created.plus(silence).isBefore(now)
            && (heartbeat == null || heartbeat.toInstant().plus(silence).isBefore(now))) {
          failed.put(
              id,
              "the guest stopped reporting during the backup (last heartbeat "
                  + (heartbeat == null ? "never" : heartbeat.toInstant().toString())
                  + ")");
        }
      }
    } catch (SQLException e) {
      Log.warnf("backup watch failed: %s", e.getMessage());
      return;
    }
    failed.forEach(failures::fail);
  }
}
