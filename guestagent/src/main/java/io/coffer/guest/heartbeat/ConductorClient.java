package io.coffer.guest.heartbeat;

import io.coffer.bus.BusClient;
import io.coffer.bus.BusConfig;
import io.coffer.guest.config.GuestConfig;
import io.coffer.model.conductor.ConductorMethods;
import io.coffer.model.conductor.HeartbeatArgs;
import io.coffer.model.conductor.HeartbeatPayload;
import io.coffer.model.conductor.UpdateBackupArgs;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.status.BackupState;
import io.coffer.model.status.ServiceStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;

/** The conductor's API as this guest uses it (Trove's {@code conductor/api.py}). */
@ApplicationScoped
public class ConductorClient {

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
    bus.cast(
        busConfig.conductorTopic(),
        ConductorMethods.UPDATE_BACKUP,
        RequestContext.empty(),
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

  /** Epoch seconds with microseconds, as Trove's guests stamp {@code sent}. */
  public double sent() {
    Instant now = clock.instant();
    return now.getEpochSecond() + (now.getNano() / 1000) / 1_000_000.0;
  }
}
