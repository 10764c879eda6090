package io.coffer.conductor.status;

import io.coffer.model.common.WalArchive;
import io.coffer.model.conductor.NotifyExcInfoArgs;
import io.coffer.model.conductor.UpdateBackupArgs;
import io.coffer.model.conductor.WalArchivedArgs;
import io.coffer.model.status.BackupState;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * The conductor's other reports: backup progress ({@code update_backup}), root enabled ({@code
 * report_root}) and guest failures ({@code notify_exc_info}), written in the caller's transaction.
 */
@ApplicationScoped
public class GuestReports {

  private static final String BACKUP =
      "SELECT instance_id FROM backups WHERE id = ? AND NOT deleted";
  private static final String ADVANCE =
      "INSERT INTO conductor_lastseen (instance_id, method_name, sent) VALUES (?, ?, ?)"
          + " ON CONFLICT (instance_id, method_name) DO UPDATE SET sent = EXCLUDED.sent"
          + " WHERE conductor_lastseen.sent < EXCLUDED.sent";
  // only the backup columns a report carries change; the others keep their values
  // a backup that ended (completed, or failed by the taskmanager's deadline) stays as it ended
  private static final String UPDATE_BACKUP =
      "UPDATE backups SET size = coalesce(?, size), state = coalesce(?, state),"
          + " backup_type = coalesce(?, backup_type), checksum = coalesce(?, checksum),"
          + " location = coalesce(?, location), fail_reason = coalesce(?, fail_reason),"
          + " updated = ? WHERE id = ? AND state IN ('NEW', 'BUILDING', 'SAVING')";
  private static final String ROOT =
      "INSERT INTO root_enabled_history (id, \"user\", created)"
          + " SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM instances WHERE id = ? AND NOT deleted)"
          + " ON CONFLICT (id) DO NOTHING";
  private static final String FAULT =
      "INSERT INTO instance_faults (id, instance_id, message, details, created, updated)"
          + " SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM instances WHERE id = ?)";

  // the first report makes the row (its project from the instance); later ones only move it on
  private static final String WAL_ARCHIVED =
      "INSERT INTO wal_archives (instance_id, tenant_id, container, started, latest_segment,"
          + " latest_time, marker_time, updated)"
          + " SELECT id, tenant_id, ?, ?, ?, ?, ?, ? FROM instances WHERE id = ? AND NOT deleted"
          + " ON CONFLICT (instance_id) DO UPDATE SET latest_segment = EXCLUDED.latest_segment,"
          + " latest_time = EXCLUDED.latest_time, marker_time = EXCLUDED.marker_time,"
          + " updated = EXCLUDED.updated WHERE wal_archives.latest_time < EXCLUDED.latest_time";
  private static final String INSTANCE_LIVE =
      "SELECT 1 FROM instances WHERE id = ? AND NOT deleted";

  private final Clock clock;

  GuestReports(Clock clock) {
    this.clock = clock;
  }

  /** Applies a backup report; stale ones and ones naming another instance are dropped. */
  public ReportOutcome backup(Connection c, UpdateBackupArgs a) throws SQLException {
    String owner;
    try (PreparedStatement ps = c.prepareStatement(BACKUP)) {
      ps.setString(1, a.backupId());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return ReportOutcome.UNKNOWN;
        }
        owner = rs.getString(1);
      }
    }
    if (!a.instanceId().equals(owner)) {
      Log.warnf(
          "backup %s belongs to %s, not to reporting instance %s: report dropped",
          a.backupId(), owner, a.instanceId());
      return ReportOutcome.INVALID;
    }
    if (!advance(c, a.instanceId(), "update_backup", a.sent())) {
      return ReportOutcome.STALE;
    }
    try (PreparedStatement ps = c.prepareStatement(UPDATE_BACKUP)) {
      if (a.size() == null) {
        ps.setNull(1, Types.DOUBLE);
      } else {
        ps.setDouble(1, a.size());
      }
      ps.setString(2, BackupState.fromName(a.state()).map(Enum::name).orElse(null));
      ps.setString(3, a.backupType());
      ps.setString(4, a.checksum());
      ps.setString(5, a.location());
      ps.setString(
          6,
          a.failReason() == null || a.failReason().length() <= 512
              ? a.failReason()
              : a.failReason().substring(0, 512));
      ps.setTimestamp(7, Timestamp.from(Instant.now(clock)));
      ps.setString(8, a.backupId());
      if (ps.executeUpdate() == 0) {
        Log.warnf(
            "backup %s has ended already: report from %s dropped", a.backupId(), a.instanceId());
        return ReportOutcome.STALE;
      }
    }
    return ReportOutcome.ACCEPTED;
  }

  private static boolean advance(Connection c, String instanceId, String method, double sent)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(ADVANCE)) {
      ps.setString(1, instanceId);
      ps.setString(2, method);
      ps.setDouble(3, sent);
      return ps.executeUpdate() == 1;
    }
  }

  /** Records that root was enabled on an instance (the first time only). */
  public ReportOutcome root(Connection c, String instanceId, String user) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(ROOT)) {
      ps.setString(1, instanceId);
      ps.setString(2, user);
      ps.setTimestamp(3, Timestamp.from(Instant.now(clock)));
      ps.setString(4, instanceId);
      ps.executeUpdate();
    }
    return ReportOutcome.ACCEPTED;
  }

  /** Records a guest failure as an instance fault. */
  public ReportOutcome fault(Connection c, NotifyExcInfoArgs a) throws SQLException {
    Object id =
        a.serializedNotification() == null ? null : a.serializedNotification().get("instance_id");
    if (id == null) {
      return ReportOutcome.INVALID;
    }
    String message = a.message() == null ? "guest failure" : a.message();
    Instant now = Instant.now(clock);
    try (PreparedStatement ps = c.prepareStatement(FAULT)) {
      ps.setString(1, UUID.randomUUID().toString());
      ps.setString(2, id.toString());
      ps.setString(3, message.length() > 255 ? message.substring(0, 255) : message);
      ps.setString(4, a.exception());
      ps.setTimestamp(5, Timestamp.from(now));
      ps.setTimestamp(6, Timestamp.from(now));
      ps.setString(7, id.toString());
      return ps.executeUpdate() == 1 ? ReportOutcome.ACCEPTED : ReportOutcome.UNKNOWN;
    }
  }

  /** Why a {@code wal_archived} report cannot be used, or null. */
  public static String invalidArchive(WalArchivedArgs a) {
    if (a.latestSegment() == null || !WalArchive.SEGMENT.matcher(a.latestSegment()).matches()) {
      return "no valid latest_segment";
    }
    try {
      Instant latest = Instant.parse(a.latestTime());
      Instant marker = Instant.parse(a.markerTime());
      if (marker.isAfter(latest)) {
        return "marker_time after latest_time";
      }
    } catch (RuntimeException e) {
      return "latest_time and marker_time must be ISO-8601 instants";
    }
    return null;
  }

  /**
   * Records how far an instance's WAL archive reaches; an older report than the one recorded is
   * stale.
   */
  public ReportOutcome walArchived(Connection c, WalArchivedArgs a) throws SQLException {
    Timestamp now = Timestamp.from(Instant.now(clock));
    try (PreparedStatement ps = c.prepareStatement(WAL_ARCHIVED)) {
      ps.setString(1, WalArchive.container(a.instanceId()));
      ps.setTimestamp(2, now);
      ps.setString(3, a.latestSegment());
      ps.setTimestamp(4, Timestamp.from(Instant.parse(a.latestTime())));
      ps.setTimestamp(5, Timestamp.from(Instant.parse(a.markerTime())));
      ps.setTimestamp(6, now);
      ps.setString(7, a.instanceId());
      if (ps.executeUpdate() > 0) {
        return ReportOutcome.ACCEPTED;
      }
    }
    try (PreparedStatement ps = c.prepareStatement(INSTANCE_LIVE)) {
      ps.setString(1, a.instanceId());
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        return rs.next() ? ReportOutcome.STALE : ReportOutcome.UNKNOWN;
      }
    }
  }
}
