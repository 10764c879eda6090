package io.coffer.guest.heartbeat;

import io.coffer.bus.BusClient;
import io.coffer.bus.BusConfig;
import io.coffer.bus.BusException;
import io.coffer.guest.config.GuestConfig;
import io.coffer.model.conductor.ConductorMethods;
import io.coffer.model.conductor.HeartbeatArgs;
import io.coffer.model.conductor.HeartbeatPayload;
import io.coffer.model.conductor.NotifyEndArgs;
import io.coffer.model.conductor.NotifyExcInfoArgs;
import io.coffer.model.conductor.UpdateBackupArgs;
import io.coffer.model.conductor.WalArchivedArgs;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.status.BackupState;
import io.coffer.model.status.ServiceStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/** The conductor's API as this guest uses it (Trove's {@code conductor/api.py}). */
@ApplicationScoped
public class ConductorClient {

  private static final Logger LOG = Logger.getLogger(ConductorClient.class);
  private static final Duration REPORT_RETRY = Duration.ofSeconds(60);

  private final BusClient bus;
  private final BusConfig busConfig;
  private final GuestConfig guest;
  private final Clock clock = Clock.systemUTC();

  ConductorClient(BusClient bus, BusConfig busConfig, GuestConfig guest) {
    this.bus = bus;
    this.busConfig = busConfig;
    this.guest = guest;
  }

  /** Reports the service status, stamped with the current time. */
  public void heartbeat(ServiceStatus status) {
    bus.cast(
        busConfig.conductorTopic(),
        ConductorMethods.HEARTBEAT,
        RequestContext.empty(),
        new HeartbeatArgs(guest.instanceId(), new HeartbeatPayload(status.description()), sent()));
  }

  /**
   * Reports how far the instance's write-ahead log archive reaches: every commit up to {@code
   * latest}, the newest one the marker at {@code marker} (see {@code PgWalArchive}).
   */
  public void walArchived(String latestSegment, Instant latest, Instant marker) {
    bus.cast(
        busConfig.conductorTopic(),
        ConductorMethods.WAL_ARCHIVED,
        RequestContext.empty(),
        new WalArchivedArgs(
            guest.instanceId(), sent(), latestSegment, latest.toString(), marker.toString()));
  }

  /** Reports the progress or the result of a backup. */
  public void updateBackup(
      String backupId,
      BackupState state,
      Double sizeGb,
      String backupType,
      String checksum,
      String location,
      String failReason) {
    Boolean success =
        state == BackupState.COMPLETED ? Boolean.TRUE : state == BackupState.FAILED ? false : null;
    castReport(
        ConductorMethods.UPDATE_BACKUP,
        new UpdateBackupArgs(
            guest.instanceId(),
            backupId,
            sent(),
            sizeGb,
            state.name(),
            backupType,
            checksum,
            location,
            success,
            failReason));
  }

  /**
   * Reports a failure of this guest as an instance fault ({@code notify_exc_info}): {@code message}
   * is what the tenant reads, {@code details} the cause only administrators see.
   */
  public void fault(String message, String details) {
    castReport(
        ConductorMethods.NOTIFY_EXC_INFO,
        new NotifyExcInfoArgs(Map.of("instance_id", guest.instanceId()), message, details));
  }

  /**
   * Ends the {@code dbaas.*} notification a request carried ({@code notify_end}): the work it asked
   * for is done.
   */
  public void notifyEnd(Map<String, Object> notification) {
    castReport(ConductorMethods.NOTIFY_END, new NotifyEndArgs(notification, Map.of()));
  }

  /**
   * Ends the {@code dbaas.*} notification a request carried as an error ({@code notify_exc_info}),
   * which the conductor also records as the instance's fault.
   */
  public void notifyError(Map<String, Object> notification, String message, String details) {
    Map<String, Object> n = new java.util.LinkedHashMap<>(notification);
    n.putIfAbsent("instance_id", guest.instanceId());
    castReport(ConductorMethods.NOTIFY_EXC_INFO, new NotifyExcInfoArgs(n, message, details));
  }

  /**
   * Casts a report that must not be lost (a backup's result, a failure), trying again while the bus
   * does not take it (broker restarting, a refused or unconfirmed publish) for up to {@link
   * #REPORT_RETRY}. The same report is sent each time: the conductor applies it once.
   */
  private <A> void castReport(Method<A, ?> method, A args) {
    long end = System.nanoTime() + REPORT_RETRY.toNanos();
    long pause = 250;
    while (true) {
      try {
        bus.cast(busConfig.conductorTopic(), method, RequestContext.empty(), args);
        return;
      } catch (BusException e) {
        if (System.nanoTime() + pause * 1_000_000 > end) {
          throw e;
        }
        LOG.warnf("%s not taken by the bus (%s); trying again", method.name(), e.getMessage());
        try {
          Thread.sleep(pause);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
        pause = Math.min(pause * 2, 5_000);
      }
    }
  }

  /** Epoch seconds with microseconds, as Trove's guests stamp {@code sent}. */
  public double sent() {
    Instant now = clock.instant();
    return now.getEpochSecond() + (now.getNano() / 1000) / 1_000_000.0;
  }
}
