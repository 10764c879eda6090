package io.coffer.taskmanager.lifecycle;

import io.coffer.model.status.InstanceTask;
import io.coffer.model.status.ServiceStatus;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Watches builds: an instance in BUILD whose guest reports the database up becomes ACTIVE (task
 * NONE); one whose guest reports it failed to spawn ends in ERROR with a fault carrying the guest's
 * own account of the failure (its message for the tenant, the cause for administrators). One
 * conditional statement each, so several taskmanagers may watch at once.
 */
@ApplicationScoped
class BuildWatcher {

  private static final String COMPLETE =
      "UPDATE instances i SET task_id = ?, task_description = ?, task_deadline = NULL, updated = ?"
          + " FROM service_statuses s WHERE s.instance_id = i.id AND NOT i.deleted AND i.task_id = ?"
          + " AND s.status_description IN ('healthy', 'running', 'instance ready')"
          + " RETURNING i.id, i.task_start_time";
  // with the failure the guest reported during this build (notify_exc_info), if any
  private static final String FAILED =
      "SELECT i.id, f.message, f.details FROM instances i"
          + " JOIN service_statuses s ON s.instance_id = i.id"
          + " LEFT JOIN LATERAL (SELECT message, details FROM instance_faults"
          + " WHERE instance_id = i.id AND NOT deleted"
          + " AND (i.task_start_time IS NULL OR created >= i.task_start_time)"
          + " ORDER BY created DESC LIMIT 1) f ON true"
          + " WHERE NOT i.deleted AND i.task_id = ? AND s.status_description = ?";
  private static final String GENERIC =
      "The guest agent could not set up the database (failed to spawn).";

  private final DataSource db;
  private final Lifecycle lifecycle;
  private final Clock clock;
  private final TaskMetrics metrics;

  BuildWatcher(
      DataSource db,
      Lifecycle lifecycle,
      Clock clock,
      TaskMetrics metrics,
      io.coffer.taskmanager.config.TaskManagerConfig config,
      io.coffer.taskmanager.notify.UsageEvents usage,
      io.coffer.taskmanager.notify.ApiEvents api) {
    this.usage = usage;
    this.api = api;
    this.interval = config.buildWatchInterval();
    this.db = db;
    this.lifecycle = lifecycle;
    this.clock = clock;
    this.metrics = metrics;
  }

  private final java.time.Duration interval;
  private final io.coffer.taskmanager.notify.UsageEvents usage;
  private final io.coffer.taskmanager.notify.ApiEvents api;
  private java.util.concurrent.ScheduledExecutorService timer;

  /**
   * Starts watching at {@code coffer.taskmanager.build-watch-interval}: on a timer of its own, as
   * the scheduler's resolution is a second.
   */
  void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
    timer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "coffer-build-watch");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::watch,
        interval.toMillis(),
        interval.toMillis(),
        java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  void onStop(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  void watch() {
    try (Connection c = db.getConnection()) {
      // the end of the build and its trove.instance.create event: one transaction
      c.setAutoCommit(false);
      java.util.List<String> active = new java.util.ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement(COMPLETE)) {
        ps.setInt(1, InstanceTask.NONE.code());
        ps.setString(2, InstanceTask.NONE.dbText());
        ps.setTimestamp(3, Timestamp.from(clock.instant()));
        ps.setInt(4, InstanceTask.BUILDING.code());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            active.add(rs.getString(1));
            Log.infof("instance %s: BUILD -> ACTIVE", rs.getString(1));
            Timestamp started = rs.getTimestamp(2);
            metrics.ended(
                InstanceTask.BUILDING,
                true,
                started == null ? null : started.toInstant(),
                clock.instant());
          }
        }
        for (String id : active) {
          usage.created(c, id);
          api.ended(c, id, InstanceTask.BUILDING);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
      c.setAutoCommit(true);
      try (PreparedStatement ps = c.prepareStatement(FAILED)) {
        ps.setInt(1, InstanceTask.BUILDING.code());
        ps.setString(2, ServiceStatus.FAILED.description());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            lifecycle.fail(
                rs.getString(1),
                InstanceTask.BUILDING,
                InstanceTask.BUILDING_ERROR_SERVER,
                rs.getString(2) != null ? rs.getString(2) : GENERIC,
                rs.getString(3) != null
                    ? rs.getString(3)
                    : "The guest reported no cause; see the guest agent's log on the server.");
          }
        }
      }
    } catch (SQLException | RuntimeException e) {
      Log.warnf("build watch failed: %s", e.getMessage());
    }
  }
}
