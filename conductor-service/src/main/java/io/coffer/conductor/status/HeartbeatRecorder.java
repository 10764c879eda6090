package io.coffer.conductor.status;

import io.coffer.model.status.ServiceStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Stores heartbeats, many per statement. The stale check is a conditional upsert of {@code
 * conductor_lastseen} whose row lock makes concurrent conductors agree, so an older report can
 * never overwrite a newer one (Trove reads, compares and then writes, which races); rows are locked
 * in instance order, so concurrent batches cannot deadlock. The status write happens in the same
 * statement, for the instances whose report advanced.
 */
@ApplicationScoped
public class HeartbeatRecorder {

  static final String METHOD = "heartbeat";

  // Trove keeps RESTART_REQUIRED until a restart clears it; heartbeats do not overwrite it.
  private static final String RECORD =
      "WITH batch AS ("
          + " SELECT * FROM unnest(?::varchar[], ?::float8[], ?::int[], ?::varchar[])"
          + "   AS b(instance_id, sent, status_id, status_description)"
          + "), advanced AS ("
          + " INSERT INTO conductor_lastseen (instance_id, method_name, sent)"
          + " SELECT b.instance_id, 'heartbeat', b.sent FROM batch b"
          + " WHERE EXISTS (SELECT 1 FROM service_statuses s WHERE s.instance_id = b.instance_id)"
          + " ORDER BY b.instance_id"
          + " ON CONFLICT (instance_id, method_name) DO UPDATE SET sent = EXCLUDED.sent"
          + " WHERE conductor_lastseen.sent < EXCLUDED.sent"
          + " RETURNING instance_id"
          + "), updated AS ("
          + " UPDATE service_statuses s SET status_id = b.status_id,"
          + "   status_description = b.status_description, updated_at = ?"
          + " FROM advanced a JOIN batch b ON b.instance_id = a.instance_id"
          + " WHERE s.instance_id = a.instance_id AND s.status_description <> 'restart required'"
          + " RETURNING s.instance_id"
          + ") SELECT instance_id FROM advanced";

  private static final String KNOWN =
      "SELECT instance_id FROM service_statuses WHERE instance_id = ANY (?::varchar[])";

  private final DataSource db;
  private final Clock clock;

  HeartbeatRecorder(DataSource db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /**
   * One heartbeat.
   *
   * @param instanceId the reporting instance
   * @param status the reported status
   * @param sent when the guest sent it, epoch seconds
   */
  public record Heartbeat(String instanceId, ServiceStatus status, double sent) {}

  /** Stores one heartbeat in its own transaction. */
  public ReportOutcome record(String instanceId, ServiceStatus status, double sent)
      throws SQLException {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        ReportOutcome o = record(c, List.of(new Heartbeat(instanceId, status, sent))).get(0);
        c.commit();
        return o;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * Stores heartbeats within the caller's transaction; returns the outcome of each, in order.
   * Within the batch, only the newest report of an instance can be accepted.
   */
  public List<ReportOutcome> record(Connection c, List<Heartbeat> heartbeats) throws SQLException {
    Map<String, Integer> newest = new HashMap<>();
    for (int i = 0; i < heartbeats.size(); i++) {
      Heartbeat h = heartbeats.get(i);
      Integer best = newest.get(h.instanceId());
      if (best == null || heartbeats.get(best).sent() < h.sent()) {
        newest.put(h.instanceId(), i);
      }
    }
    int n = newest.size();
    String[] ids = new String[n];
    Double[] sent = new Double[n];
    Integer[] codes = new Integer[n];
    String[] descriptions = new String[n];
    int k = 0;
    for (int i : newest.values()) {
      Heartbeat h = heartbeats.get(i);
      ids[k] = h.instanceId();
      sent[k] = h.sent();
      codes[k] = h.status().code();
      descriptions[k] = h.status().description();
      k++;
    }
    Set<String> advanced = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(RECORD)) {
      ps.setArray(1, c.createArrayOf("varchar", ids));
      ps.setArray(2, c.createArrayOf("float8", sent));
      ps.setArray(3, c.createArrayOf("int4", codes));
      ps.setArray(4, c.createArrayOf("varchar", descriptions));
      ps.setTimestamp(5, Timestamp.from(Instant.now(clock)));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          advanced.add(rs.getString(1));
        }
      }
    }
    Set<String> known = advanced.size() == n ? advanced : known(c, ids);
    List<ReportOutcome> out = new ArrayList<>(heartbeats.size());
    for (int i = 0; i < heartbeats.size(); i++) {
      String id = heartbeats.get(i).instanceId();
      if (!known.contains(id)) {
        out.add(ReportOutcome.UNKNOWN);
      } else if (newest.get(id) == i && advanced.contains(id)) {
        out.add(ReportOutcome.ACCEPTED);
      } else {
        out.add(ReportOutcome.STALE);
      }
    }
    return out;
  }

  private static Set<String> known(Connection c, String[] ids) throws SQLException {
    Set<String> out = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(KNOWN)) {
      Array a = c.createArrayOf("varchar", ids);
      ps.setArray(1, a);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
