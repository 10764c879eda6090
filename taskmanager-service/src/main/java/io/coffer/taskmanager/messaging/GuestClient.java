package io.coffer.taskmanager.messaging;

import io.coffer.bus.BusClient;
import io.coffer.bus.Topology;
import io.coffer.model.common.BackupInfo;
import io.coffer.model.guest.CreateBackupArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.guest.PrepareArgs;
import io.coffer.model.guest.ResizeFsArgs;
import io.coffer.model.guest.StartDbWithConfChangesArgs;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.NoArgs;
import io.coffer.model.rpc.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;

/** The guest agent's API as the taskmanager uses it (Trove's {@code guestagent/api.py}). */
@ApplicationScoped
public class GuestClient {

  private final BusClient bus;
  private final Topology topology;

  GuestClient(BusClient bus, Topology topology) {
    this.bus = bus;
    this.topology = topology;
  }

  /** Asks the guest agent of an instance whether it is alive. */
  public boolean ping(RequestContext context, String instanceId) {
    return Boolean.TRUE.equals(
        bus.call(Topics.guest(instanceId), GuestMethods.RPC_PING, context, NoArgs.INSTANCE));
  }

  /** Creates the guest's queue, so that messages wait for a guest that is still starting. */
  public void createQueue(String instanceId) {
    topology.declareGuestQueue(instanceId);
  }

  /** Deletes the guest's queue. */
  public void deleteQueue(String instanceId) {
    topology.deleteGuestQueue(instanceId);
  }

  /** Tells the guest to set up its database (cast: the guest reports progress by heartbeat). */
  public void prepare(RequestContext context, String instanceId, PrepareArgs args) {
    bus.cast(Topics.guest(instanceId), GuestMethods.PREPARE, context, args);
  }

  /** Tells the guest to take a backup (cast: the guest reports progress to the conductor). */
  public void createBackup(RequestContext context, String instanceId, BackupInfo backup) {
    bus.cast(
        Topics.guest(instanceId),
        GuestMethods.CREATE_BACKUP,
        context,
        new CreateBackupArgs(backup));
  }

  /** Restarts the database and waits until it is healthy. */
  public void restart(RequestContext context, String instanceId) {
    bus.call(Topics.guest(instanceId), GuestMethods.RESTART, context, NoArgs.INSTANCE);
  }

  /** Stops the database. */
  public void stopDb(RequestContext context, String instanceId) {
    bus.call(Topics.guest(instanceId), GuestMethods.STOP_DB, context, NoArgs.INSTANCE);
  }

  /** Restarts the database with a new main configuration. */
  public void startWithConfiguration(
      RequestContext context, String instanceId, String contents, String version) {
    bus.call(
        Topics.guest(instanceId),
        GuestMethods.START_DB_WITH_CONF_CHANGES,
        context,
        new StartDbWithConfChangesArgs(contents, version));
  }

  /** Tells the guest its volume grew (the local driver passes the size as the device). */
  public void resizeFs(RequestContext context, String instanceId, int sizeGb) {
    bus.call(
        Topics.guest(instanceId),
        GuestMethods.RESIZE_FS,
        context,
        new ResizeFsArgs(Integer.toString(sizeGb), null, true));
  }
}
