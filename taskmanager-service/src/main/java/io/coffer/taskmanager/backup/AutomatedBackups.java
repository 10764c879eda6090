package io.coffer.taskmanager.backup;

import io.coffer.model.common.BackupInfo;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.taskmanager.CreateBackupArgs;
import io.coffer.model.taskmanager.DeleteBackupArgs;
import io.coffer.taskmanager.config.TaskManagerConfig;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Automated backups (a Coffer extension, as managed databases take them): for each instance with a
 * backup policy, a full backup at the start of its daily window (UTC), started once per window
 * whichever taskmanager gets there first, and automated backups older than the policy's retention
 * deleted unless a backup still kept builds on them. The backups themselves go the way of any other
 * (the guest takes them; a failed one ends FAILED with its reason).
 *
 * <p>{@code coffer.taskmanager.automated-backups.day} is the length of a backup "day" (24 h; tests
 * shorten it): windows repeat every day, retention counts days.
 */
@ApplicationScoped
class AutomatedBackups {

  private static final String POLICIES =
      "SELECT p.instance_id, p.window_start, p.last_started, i.tenant_id,"
          + " i.datastore_version_id, d.name, v.name"
          + " FROM backup_policies p"
          + " JOIN instances i ON i.id = p.instance_id AND NOT i.deleted AND i.task_id = 1"
          + " LEFT JOIN datastore_versions v ON v.id = i.datastore_version_id"
          + " LEFT JOIN datastores d ON d.id = v.datastore_id"
          // one backup at a time: a window whose start finds one running waits for it
          + " WHERE NOT EXISTS (SELECT 1 FROM backups r WHERE r.instance_id = i.id"
          + " AND NOT r.deleted AND r.state IN ('NEW', 'BUILDING', 'SAVING'))";
  private static final String CLAIM =
      "UPDATE backup_policies SET last_started = ?, updated = ?"
          + " WHERE instance_id = ? AND (last_started IS NULL OR last_started < ?)";
  private static final String INSERT =
      "INSERT INTO backups (id, name, description, tenant_id, instance_id, state, backup_type,"
          + " datastore_version_id, deleted, created, updated, automated)"
          + " VALUES (?, ?, ?, ?, ?, 'NEW', 'full', ?, false, ?, ?, true)";
  private static final String EXPIRED =
      "SELECT b.id FROM backups b JOIN backup_policies p ON p.instance_id = b.instance_id"
          + " WHERE b.automated AND NOT b.deleted AND b.state IN ('COMPLETED', 'FAILED')"
          + " AND b.created < ?::timestamptz - p.retention_days * ?::interval"
          + " AND NOT EXISTS (SELECT 1 FROM backups c WHERE c.parent_id = b.id AND NOT c.deleted)"
          + " ORDER BY b.created";

  private final DataSource db;
  private final Clock clock;
  private final BackupTasks.Create create;
  private final BackupTasks.Delete delete;
  private final MeterRegistry metrics;
  private final Duration day;

  AutomatedBackups(
      DataSource db,
      Clock clock,
      BackupTasks.Create create,
      BackupTasks.Delete delete,
      MeterRegistry metrics,
      TaskManagerConfig config) {
    this.db = db;
    this.clock = clock;
    this.create = create;
    this.delete = delete;
    this.metrics = metrics;
    this.day = config.automatedBackups().day();
  }

  /** The start of the newest window of a policy at or before {@code now}. */
  static Instant latestWindow(String window, Duration day, Instant now) {
    String[] hm = window.split(":");
    long offset =
        (Long.parseLong(hm[0]) * 3600 + Long.parseLong(hm[1]) * 60) * 1000 % day.toMillis();
    long t = now.toEpochMilli() - offset;
    return Instant.ofEpochMilli(Math.floorDiv(t, day.toMillis()) * day.toMillis() + offset);
  }

  @Scheduled(
      every = "${coffer.taskmanager.automated-backups.check:60s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void run() {
    try {
      startDue();
      expire();
    } catch (SQLException | RuntimeException e) {
      Log.warnf("automated backups: %s", e.getMessage());
    }
  }

  private record Due(BackupInfo info, String instanceId) {}

  void startDue() throws SQLException {
    Instant now = clock.instant();
    List<Due> started = new ArrayList<>();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(POLICIES);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String instanceId = rs.getString(1);
          Instant window = latestWindow(rs.getString(2), day, now);
          Timestamp last = rs.getTimestamp(3);
          if (last != null && !last.toInstant().isBefore(window)) {
            continue;
          }
          if (!claim(c, instanceId, now, window)) {
            continue;
          }
          String id = UUID.randomUUID().toString();
          String name = "automated-" + window.toString().replace(":", "").replace("-", "");
          try (PreparedStatement in = c.prepareStatement(INSERT)) {
            in.setString(1, id);
            in.setString(2, name);
            in.setString(3, "Automated backup of the window starting " + window);
            in.setString(4, rs.getString(4));
            in.setString(5, instanceId);
            in.setString(6, rs.getString(5));
            in.setTimestamp(7, Timestamp.from(now));
            in.setTimestamp(8, Timestamp.from(now));
            in.executeUpdate();
          }
          started.add(
              new Due(
                  new BackupInfo(
                      id,
                      name,
                      null,
                      instanceId,
                      "full",
                      null,
                      null,
                      rs.getString(6),
                      rs.getString(7),
                      null),
                  instanceId));
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
    for (Due d : started) {
      Log.infof("instance %s: automated backup %s started", d.instanceId(), d.info().id());
      metrics.counter("coffer_automated_backups_started").increment();
      try {
        create.handle(RequestContext.service(), new CreateBackupArgs(d.info(), d.instanceId()));
      } catch (RuntimeException e) {
        // the backup watcher ends a backup that never starts
        Log.warnf("automated backup %s not started: %s", d.info().id(), e.getMessage());
      }
    }
  }

  private static boolean claim(Connection c, String instanceId, Instant now, Instant window)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
      ps.setTimestamp(1, Timestamp.from(now));
      ps.setTimestamp(2, Timestamp.from(now));
      ps.setString(3, instanceId);
      ps.setTimestamp(4, Timestamp.from(window));
      return ps.executeUpdate() == 1;
    }
  }

  void expire() throws SQLException {
    List<String> expired = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(EXPIRED)) {
      ps.setTimestamp(1, Timestamp.from(clock.instant()));
      ps.setString(2, day.toMillis() + " milliseconds");
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          expired.add(rs.getString(1));
        }
      }
    }
    for (String id : expired) {
      Log.infof("automated backup %s: past its retention, deleted", id);
      delete.handle(RequestContext.service(), new DeleteBackupArgs(id));
      metrics.counter("coffer_automated_backups_expired").increment();
    }
  }
}
