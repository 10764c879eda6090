package io.coffer.taskmanager.backup;

import io.coffer.taskmanager.notify.ApiEvents;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Ends a running backup as FAILED with its reason and removes whatever it stored. Only a backup
 * still running is changed, so a result the guest reported first stands.
 */
@ApplicationScoped
class BackupFailures {

  private static final String FAIL =
      "UPDATE backups SET state = 'FAILED', fail_reason = ?, updated = ?"
          + " WHERE id = ? AND NOT deleted AND state IN ('NEW', 'BUILDING', 'SAVING')"
          + " RETURNING container, tenant_id";

  private final DataSource db;
  private final Storage storage;
  private final Clock clock;

  private final ApiEvents api;

  BackupFailures(DataSource db, Storage storage, Clock clock, ApiEvents api) {
    this.api = api;
    this.db = db;
    this.storage = storage;
    this.clock = clock;
  }

  /** Fails the backup if it is still running; returns whether it did. */
  boolean fail(String backupId, String reason) {
    String container;
    String project;
    try (Connection c = db.getConnection()) {
      // the failure and the error of the backup's dbaas.backup_create: one transaction
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(FAIL)) {
        ps.setString(1, reason.length() > 512 ? reason.substring(0, 512) : reason);
        ps.setTimestamp(2, Timestamp.from(clock.instant()));
        ps.setString(3, backupId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            c.rollback();
            return false;
          }
          container = rs.getString(1);
          project = rs.getString(2);
        }
        api.backup(c, backupId, "backup_create", reason);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      Log.warnf("backup %s: cannot record its failure (%s)", backupId, e.getMessage());
      return false;
    }
    Log.warnf("backup %s: FAILED: %s", backupId, reason);
    try {
      storage.forProject(project).delete(container, backupId);
    } catch (IOException | RuntimeException e) {
      Log.warnf("backup %s: partial data not removed (%s)", backupId, e.getMessage());
    }
    return true;
  }
}
