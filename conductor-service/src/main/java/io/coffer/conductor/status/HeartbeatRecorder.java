package io.coffer.conductor.status;

import io.coffer.model.status.ServiceStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Stores heartbeats. The stale check and the status write happen in one transaction whose first
 * statement is a conditional upsert of {@code conductor_lastseen}: the row lock makes concurrent
 * conductors agree, so an older report can never overwrite a newer one (Trove reads, compares and
 * then writes, which races).
 */
@ApplicationScoped
public class HeartbeatRecorder {

  static final String METHOD = "heartbeat";

  // Accept only reports newer than the last accepted one, and only for known instances.
  private static final String ADVANCE_LASTSEEN =
      "INSERT INTO conductor_lastseen (instance_id, method_name, sent) "
          + "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM service_statuses WHERE instance_id = ?) "
          + "ON CONFLICT (instance_id, method_name) DO UPDATE SET sent = EXCLUDED.sent "
          + "WHERE conductor_lastseen.sent < EXCLUDED.sent";

  // Trove keeps RESTART_REQUIRED until a restart clears it; heartbeats do not overwrite it.
  private static final String WRITE_STATUS =
      "UPDATE service_statuses SET status_id = ?, status_description = ?, updated_at = ? "
          + "WHERE instance_id = ? AND status_description <> ?";

  private static final String KNOWN = "SELECT 1 FROM service_statuses WHERE instance_id = ?";

  private final DataSource db;
  private final Clock clock;

  HeartbeatRecorder(DataSource db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * Stores a heartbeat unless a report at least as new is already stored.
   *
   * @param instanceId the reporting instance
   * @param status the reported status
   * @param sent when the guest sent it, epoch seconds
   */
  public ReportOutcome record(String instanceId, ServiceStatus status, double sent)
      throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        ReportOutcome outcome = record(c, instanceId, status, sent);
        c.commit();
        return outcome;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private ReportOutcome record(Connection c, String instanceId, ServiceStatus status, double sent)
      throws SQLException {
    int advanced;
    try (PreparedStatement ps = c.prepareStatement(ADVANCE_LASTSEEN)) {
      ps.setString(1, instanceId);
      ps.setString(2, METHOD);
      ps.setDouble(3, sent);
      ps.setString(4, instanceId);
      advanced = ps.executeUpdate();
    }
    if (advanced == 0) {
      return known(c, instanceId) ? ReportOutcome.STALE : ReportOutcome.UNKNOWN;
    }
    try (PreparedStatement ps = c.prepareStatement(WRITE_STATUS)) {
      ps.setInt(1, status.code());
      ps.setString(2, status.description());
      ps.setTimestamp(3, Timestamp.from(Instant.now(clock)));
      ps.setString(4, instanceId);
      ps.setString(5, ServiceStatus.RESTART_REQUIRED.description());
      ps.executeUpdate();
    }
    return ReportOutcome.ACCEPTED;
  }

  private static boolean known(Connection c, String instanceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(KNOWN)) {
      ps.setString(1, instanceId);
      return ps.executeQuery().next();
    }
  }
}
