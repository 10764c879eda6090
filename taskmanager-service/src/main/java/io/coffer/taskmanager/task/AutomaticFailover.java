package io.coffer.taskmanager.task;

import io.coffer.model.rpc.RequestContext;
import io.coffer.model.status.InstanceTask;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Automatic failover of PostgreSQL sources (opt-in: the operator's {@code
 * coffer.taskmanager.failover.automatic}, or the instance's own {@code auto_failover}).
 *
 * <p>A source with replicas whose guest has been silent past {@code failover.expiry} is checked
 * with its compute driver: only when its database server does not answer either (the server is
 * gone, stopped or hung — not a guest that is merely stuck) is it replaced, once whichever
 * taskmanager gets there first (a conditional update of its task claims it):
 *
 * <ol>
 *   <li>fenced first — its database server and guest stopped, and its guest told not to start the
 *       database again by itself — so that it can never be a second writer;
 *   <li>the replica that replayed the most is promoted and the others follow it (as {@code
 *       eject_replica_source} does);
 *   <li>the event is recorded on both instances (a fault their owner sees) and counted ({@code
 *       coffer_failovers_total});
 *   <li>the former source is brought back where the driver can; when its guest reports again, it is
 *       rewound onto the new source's history and follows it as a replica, and only then may its
 *       database start with its guest again.
 * </ol>
 */
@ApplicationScoped
class AutomaticFailover {

  private static final String SOURCES =
      "SELECT i.id, v.manager FROM instances i"
          + " JOIN service_statuses s ON s.instance_id = i.id"
          + " JOIN datastore_versions v ON v.id = i.datastore_version_id"
          + " WHERE NOT i.deleted AND i.slave_of_id IS NULL AND i.task_id = 1 AND NOT i.fenced"
          + " AND coalesce(i.auto_failover, ?) AND v.manager = 'postgresql'"
          + " AND s.updated_at < ?"
          + " AND EXISTS (SELECT 1 FROM instances r WHERE r.slave_of_id = i.id AND NOT r.deleted)";
  private static final String CLAIM_SOURCE =
      "UPDATE instances SET task_id = ?, task_description = ?, task_start_time = ?, updated = ?"
          + " WHERE id = ? AND task_id = 1 AND NOT deleted AND slave_of_id IS NULL AND NOT fenced";
  private static final String CLAIM_REPLICAS =
      "UPDATE instances SET task_id = ?, task_description = ?, task_start_time = ?, updated = ?"
          + " WHERE slave_of_id = ? AND task_id = 1 AND NOT deleted";
  private static final String FENCED = "UPDATE instances SET fenced = ?, updated = ? WHERE id = ?";
  private static final String RETURNED =
      "SELECT i.id, i.slave_of_id FROM instances i"
          + " JOIN service_statuses s ON s.instance_id = i.id"
          + " WHERE NOT i.deleted AND i.fenced AND i.task_id = 1 AND i.slave_of_id IS NOT NULL"
          + " AND s.updated_at >= ?";
  private static final String CLAIM_RETURNED =
      "UPDATE instances SET task_id = ?, task_description = ?, task_start_time = ?, updated = ?"
          + " WHERE id = ? AND task_id = 1 AND fenced AND NOT deleted";

  private final InstanceTasks.Deps d;
  private final DataSource db;
  private final Clock clock;
  private final TaskManagerConfig.Failover config;
  private final MeterRegistry metrics;
  private final Set<String> servingNoted = ConcurrentHashMap.newKeySet();

  AutomaticFailover(
      InstanceTasks.Deps d,
      DataSource db,
      Clock clock,
      TaskManagerConfig config,
      MeterRegistry metrics) {
    this.d = d;
    this.db = db;
    this.clock = clock;
    this.config = config.failover();
    this.metrics = metrics;
  }

  @Scheduled(
      every = "${coffer.taskmanager.failover.check:5s}",
      delayed = "${coffer.taskmanager.failover.check:5s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void run() {
    try {
      for (String[] source : silentSources()) {
        check(source[0], source[1]);
      }
      for (String[] returned : returnedFenced()) {
        rejoin(returned[0], returned[1]);
      }
    } catch (SQLException | RuntimeException e) {
      Log.warnf("automatic failover: %s", e.getMessage());
    }
  }

  /** PostgreSQL sources with replicas, opted in, whose guest is silent: id and manager. */
  List<String[]> silentSources() throws SQLException {
    Instant now = clock.instant();
    List<String[]> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(SOURCES)) {
      ps.setBoolean(1, config.automatic());
      ps.setTimestamp(2, Timestamp.from(now.minus(config.expiry())));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    return out;
  }

  private List<String[]> returnedFenced() throws SQLException {
    List<String[]> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(RETURNED)) {
      // its guest reported since it was fenced: it is back
      ps.setTimestamp(1, Timestamp.from(clock.instant().minus(config.expiry())));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    return out;
  }

  /** A silent source: replaced if its server does not serve either. */
  void check(String old, String manager) throws SQLException {
    if (d.compute.serving(old, manager, config.probeTimeout())) {
      if (servingNoted.add(old)) {
        Log.infof("instance %s: guest silent but its database server serves; no failover", old);
      }
      return;
    }
    servingNoted.remove(old);
    if (!claim(old)) {
      return;
    }
    long start = System.nanoTime();
    RequestContext context = RequestContext.service();
    List<String> replicas = d.lifecycle.replicasOf(old).stream().map(r -> r.id).toList();
    List<String> members = new ArrayList<>(List.of(old));
    members.addAll(replicas);
    String source;
    try {
      d.compute.fence(old);
      setFenced(old, true);
      source = ReplicationTasks.promoteMostAdvanced(d, context, replicas).source();
    } catch (RuntimeException e) {
      metrics.counter("coffer_failovers_total", "outcome", "failed").increment();
      for (String m : members) {
        d.lifecycle.fail(
            m,
            InstanceTask.EJECTING,
            InstanceTask.EJECTION_ERROR,
            "Automatic failover of " + old + " failed: " + e.getMessage(),
            e.toString());
      }
      return;
    }
    ReplicationTasks.repoint(d, source, replicas);
    d.lifecycle.update(old, x -> x.slaveOfId = source);
    long ms = (System.nanoTime() - start) / 1_000_000;
    String event =
        "Automatic failover: "
            + old
            + " stopped serving and was fenced; "
            + source
            + " is the replica source now.";
    d.lifecycle.note(old, event, "failover took " + ms + " ms");
    d.lifecycle.note(source, event, "failover took " + ms + " ms");
    // the event is on record before the instances show their new roles
    members.forEach(m -> d.lifecycle.finish(m, InstanceTask.EJECTING));
    metrics.counter("coffer_failovers_total", "outcome", "completed").increment();
    Log.warnf("instance %s: failed over to %s in %d ms (fenced)", old, source, ms);
    try {
      if (d.compute.bringBack(old)) {
        Log.infof("instance %s: guest started again, fenced, to rejoin as a replica", old);
      }
    } catch (RuntimeException e) {
      Log.warnf("instance %s: not brought back: %s", old, e.getMessage());
    }
  }

  /** A fenced former source whose guest is back: rewound onto its new source, then following it. */
  void rejoin(String old, String source) throws SQLException {
    if (!claimReturned(old)) {
      return;
    }
    RequestContext context = RequestContext.service();
    try {
      Map<String, Object> follow = d.guests.replicaContext(context, source);
      d.guests.attachReplica(context, old, follow, true);
      d.compute.unfence(old);
      setFenced(old, false);
      d.lifecycle.finish(old, InstanceTask.EJECTING);
      Log.infof("instance %s: rejoined as a replica of %s", old, source);
    } catch (RuntimeException e) {
      // stays fenced; tried again while its guest reports
      d.lifecycle.finish(old, InstanceTask.EJECTING);
      Log.warnf("instance %s: did not rejoin %s yet: %s", old, source, e.getMessage());
    }
  }

  /** Claims a source for its failover; true for exactly one caller. */
  boolean claim(String old) throws SQLException {
    Instant now = clock.instant();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        int n = claimUpdate(c, CLAIM_SOURCE, old, now);
        if (n == 1) {
          claimUpdate(c, CLAIM_REPLICAS, old, now);
        }
        c.commit();
        return n == 1;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private boolean claimReturned(String old) throws SQLException {
    try (Connection c = db.getConnection()) {
      return claimUpdate(c, CLAIM_RETURNED, old, clock.instant()) == 1;
    }
  }

  private static int claimUpdate(Connection c, String sql, String id, Instant now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setInt(1, InstanceTask.EJECTING.code());
      ps.setString(2, InstanceTask.EJECTING.dbText());
      ps.setTimestamp(3, Timestamp.from(now));
      ps.setTimestamp(4, Timestamp.from(now));
      ps.setString(5, id);
      return ps.executeUpdate();
    }
  }

  private void setFenced(String id, boolean fenced) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(FENCED)) {
      ps.setBoolean(1, fenced);
      ps.setTimestamp(2, Timestamp.from(clock.instant()));
      ps.setString(3, id);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot record instance " + id + " as fenced", e);
    }
  }
}
