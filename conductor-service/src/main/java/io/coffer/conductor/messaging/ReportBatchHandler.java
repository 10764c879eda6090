package io.coffer.conductor.messaging;

import io.coffer.bus.BatchHandler;
import io.coffer.conductor.config.ConductorConfig;
import io.coffer.conductor.status.GuestReports;
import io.coffer.conductor.status.HeartbeatRecorder;
import io.coffer.conductor.status.ReportMetrics;
import io.coffer.conductor.status.ReportOutcome;
import io.coffer.model.conductor.ConductorMethods;
import io.coffer.model.conductor.HeartbeatArgs;
import io.coffer.model.conductor.NotifyEndArgs;
import io.coffer.model.conductor.NotifyExcInfoArgs;
import io.coffer.model.conductor.ReportRootArgs;
import io.coffer.model.conductor.UpdateBackupArgs;
import io.coffer.model.conductor.WalArchivedArgs;
import io.coffer.model.rpc.Envelope;
import io.coffer.model.rpc.MalformedMessageException;
import io.coffer.model.rpc.MessageCodec;
import io.coffer.model.status.BackupState;
import io.coffer.model.status.ServiceStatus;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * Handles a batch of guest reports in one transaction: heartbeats with one statement, the other
 * reports one by one. Invalid reports (no {@code sent}, dated ahead, unknown status or instance)
 * are rejected into the dead-letter queue; stale ones are dropped and counted.
 */
@ApplicationScoped
class ReportBatchHandler implements BatchHandler {

  private final DataSource db;
  private final HeartbeatRecorder heartbeats;
  private final GuestReports reports;
  private final ReportMetrics metrics;
  private final ConductorConfig config;
  private final Clock clock;
  private final GuestNotifications notifications;
  private final MessageCodec codec = new MessageCodec();

  @SuppressWarnings("checkstyle:ParameterNumber")
  ReportBatchHandler(
      DataSource db,
      HeartbeatRecorder heartbeats,
      GuestReports reports,
      ReportMetrics metrics,
      ConductorConfig config,
      Clock clock,
      GuestNotifications notifications) {
    this.notifications = notifications;
    this.db = db;
    this.heartbeats = heartbeats;
    this.reports = reports;
    this.metrics = metrics;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public List<Result> handle(List<Envelope> batch) throws SQLException {
    Result[] results = new Result[batch.size()];
    List<Integer> heartbeatIndex = new ArrayList<>();
    List<HeartbeatRecorder.Heartbeat> beats = new ArrayList<>();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        for (int i = 0; i < batch.size(); i++) {
          Envelope e = batch.get(i);
          if (e.method().equals(ConductorMethods.HEARTBEAT.name())) {
            HeartbeatRecorder.Heartbeat h = heartbeat(e, results, i);
            if (h != null) {
              heartbeatIndex.add(i);
              beats.add(h);
            }
          } else {
            results[i] = other(c, e);
          }
        }
        List<ReportOutcome> outcomes = beats.isEmpty() ? List.of() : heartbeats.record(c, beats);
        c.commit();
        long committed = clock.millis();
        for (int k = 0; k < outcomes.size(); k++) {
          ReportOutcome o = outcomes.get(k);
          int i = heartbeatIndex.get(k);
          metrics.count(ConductorMethods.HEARTBEAT.name(), o);
          if (o == ReportOutcome.ACCEPTED) {
            metrics.lag(beats.get(k).sent(), committed);
          }
          results[i] =
              o == ReportOutcome.UNKNOWN
                  ? Result.reject("heartbeat of unknown instance " + beats.get(k).instanceId())
                  : Result.DONE;
        }
        metrics.batch(batch.size());
      } catch (SQLException | RuntimeException ex) {
        c.rollback();
        throw ex;
      }
    }
    return Arrays.asList(results);
  }

  private HeartbeatRecorder.Heartbeat heartbeat(Envelope e, Result[] results, int i) {
    HeartbeatArgs a;
    try {
      a = codec.args(e, ConductorMethods.HEARTBEAT);
    } catch (MalformedMessageException ex) {
      results[i] = invalid("heartbeat", ex.getMessage());
      return null;
    }
    String invalid = ReportChecks.invalid(a.instanceId(), a.sent(), config, clock);
    if (invalid == null && (a.payload() == null || a.payload().serviceStatus() == null)) {
      invalid = "no service_status in payload";
    }
    ServiceStatus status = null;
    if (invalid == null) {
      status = ServiceStatus.fromDescription(a.payload().serviceStatus()).orElse(null);
      if (status == null) {
        invalid = "unknown service status '" + a.payload().serviceStatus() + "'";
      }
    }
    if (invalid != null) {
      results[i] = invalid("heartbeat", "heartbeat of " + a.instanceId() + " rejected: " + invalid);
      return null;
    }
    return new HeartbeatRecorder.Heartbeat(a.instanceId(), status, a.sent());
  }

  private Result invalid(String method, String reason) {
    metrics.count(method, ReportOutcome.INVALID);
    Log.warnf("%s", reason);
    return Result.reject(reason);
  }

  private Result other(Connection c, Envelope e) throws SQLException {
    String method = e.method();
    try {
      if (method.equals(ConductorMethods.UPDATE_BACKUP.name())) {
        UpdateBackupArgs a = codec.args(e, ConductorMethods.UPDATE_BACKUP);
        String invalid = ReportChecks.invalid(a.instanceId(), a.sent(), config, clock);
        if (invalid == null && a.backupId() == null) {
          invalid = "no backup_id";
        }
        if (invalid == null && a.state() != null && BackupState.fromName(a.state()).isEmpty()) {
          invalid = "unknown backup state '" + a.state() + "'";
        }
        if (invalid != null) {
          return invalid(method, "update_backup rejected: " + invalid);
        }
        ReportOutcome o = reports.backup(c, a);
        metrics.count(method, o);
        if (o == ReportOutcome.ACCEPTED && "COMPLETED".equals(a.state())) {
          notifications.backupEnded(c, a.backupId(), null);
        } else if (o == ReportOutcome.ACCEPTED && "FAILED".equals(a.state())) {
          notifications.backupEnded(
              c, a.backupId(), a.failReason() == null ? "The backup failed." : a.failReason());
        }
        return o == ReportOutcome.UNKNOWN
            ? Result.reject("update_backup of unknown backup " + a.backupId())
            : Result.DONE;
      }
      if (method.equals(ConductorMethods.REPORT_ROOT.name())) {
        ReportRootArgs a = codec.args(e, ConductorMethods.REPORT_ROOT);
        if (a.instanceId() == null) {
          return invalid(method, "report_root without instance_id");
        }
        metrics.count(method, reports.root(c, a.instanceId(), e.context().user()));
        return Result.DONE;
      }
      if (method.equals(ConductorMethods.NOTIFY_EXC_INFO.name())) {
        NotifyExcInfoArgs a = codec.args(e, ConductorMethods.NOTIFY_EXC_INFO);
        metrics.count(method, reports.fault(c, a));
        notifications.error(c, a);
        return Result.DONE;
      }
      if (method.equals(ConductorMethods.WAL_ARCHIVED.name())) {
        WalArchivedArgs a = codec.args(e, ConductorMethods.WAL_ARCHIVED);
        String invalid = ReportChecks.invalid(a.instanceId(), a.sent(), config, clock);
        if (invalid == null) {
          invalid = GuestReports.invalidArchive(a);
        }
        if (invalid != null) {
          return invalid(method, "wal_archived rejected: " + invalid);
        }
        ReportOutcome o = reports.walArchived(c, a);
        metrics.count(method, o);
        return o == ReportOutcome.UNKNOWN
            ? Result.reject("wal_archived of unknown instance " + a.instanceId())
            : Result.DONE;
      }
      if (method.equals(ConductorMethods.NOTIFY_END.name())) {
        NotifyEndArgs a = codec.args(e, ConductorMethods.NOTIFY_END);
        notifications.end(c, a);
        metrics.count(method, ReportOutcome.ACCEPTED);
        return Result.DONE;
      }
    } catch (MalformedMessageException ex) {
      return invalid(method, ex.getMessage());
    }
    return Result.reject("method " + method + " is not handled on the conductor");
  }
}
