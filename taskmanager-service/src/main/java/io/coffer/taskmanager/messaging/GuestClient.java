package io.coffer.taskmanager.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.bus.BusClient;
import io.coffer.bus.Topology;
import io.coffer.model.common.BackupInfo;
import io.coffer.model.guest.AttachReplicaArgs;
import io.coffer.model.guest.CleanupSourceArgs;
import io.coffer.model.guest.CreateBackupArgs;
import io.coffer.model.guest.DetachReplicaArgs;
import io.coffer.model.guest.EnableAsMasterArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.guest.MakeReadOnlyArgs;
import io.coffer.model.guest.PrepareArgs;
import io.coffer.model.guest.ReplicationSnapshotArgs;
import io.coffer.model.guest.ResizeFsArgs;
import io.coffer.model.guest.StartDbWithConfChangesArgs;
import io.coffer.model.guest.WaitForTxnArgs;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.NoArgs;
import io.coffer.model.rpc.RequestContext;
import io.coffer.taskmanager.broker.BrokerUsers;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** The guest agent's API as the taskmanager uses it (Trove's {@code guestagent/api.py}). */
@ApplicationScoped
public class GuestClient {

  private final BusClient bus;
  private final Topology topology;
  private final BrokerUsers brokerUsers;

  GuestClient(BusClient bus, Topology topology, BrokerUsers brokerUsers) {
    this.bus = bus;
    this.topology = topology;
    this.brokerUsers = brokerUsers;
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

  /** Deletes the guest's queue and its broker user (whose connections the broker closes). */
  public void removeAccess(String instanceId) {
    topology.deleteGuestQueue(instanceId);
    if (brokerUsers.enabled()) {
      brokerUsers.delete(instanceId);
    }
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

  // --- replication

  /** The snapshot a new replica of this source starts from. */
  public Map<String, Object> replicationSnapshot(RequestContext context, String sourceId) {
    return asMap(
        bus.call(
            Topics.guest(sourceId),
            GuestMethods.GET_REPLICATION_SNAPSHOT,
            context,
            new ReplicationSnapshotArgs(Map.of(), Map.of())));
  }

  /** How a replica follows this source. */
  public Map<String, Object> replicaContext(RequestContext context, String sourceId) {
    return asMap(
        bus.call(
            Topics.guest(sourceId), GuestMethods.GET_REPLICA_CONTEXT, context, NoArgs.INSTANCE));
  }

  /** Makes a replica (or a former source) follow the source described by {@code info}. */
  public void attachReplica(
      RequestContext context, String instanceId, Map<String, Object> info, boolean restart) {
    bus.call(
        Topics.guest(instanceId),
        GuestMethods.ATTACH_REPLICA,
        context,
        new AttachReplicaArgs(info, Map.of(), restart));
  }

  /** Promotes a replica to a standalone, writable server. */
  public void detachReplica(RequestContext context, String instanceId, boolean forFailover) {
    bus.call(
        Topics.guest(instanceId),
        GuestMethods.DETACH_REPLICA,
        context,
        new DetachReplicaArgs(forFailover));
  }

  /** Stops writes on a source (on PostgreSQL: a clean stop) or allows them again. */
  public void makeReadOnly(RequestContext context, String instanceId, boolean readOnly) {
    bus.call(
        Topics.guest(instanceId),
        GuestMethods.MAKE_READ_ONLY,
        context,
        new MakeReadOnlyArgs(readOnly));
  }

  /** Makes a promoted replica a replication source. */
  public void enableAsMaster(RequestContext context, String instanceId) {
    bus.call(
        Topics.guest(instanceId),
        GuestMethods.ENABLE_AS_MASTER,
        context,
        new EnableAsMasterArgs(Map.of()));
  }

  /** Drops what a former source kept for its replicas. */
  public void demoteReplicationMaster(RequestContext context, String instanceId) {
    bus.call(
        Topics.guest(instanceId), GuestMethods.DEMOTE_REPLICATION_MASTER, context, NoArgs.INSTANCE);
  }

  /** The newest position a server wrote (or replayed). */
  public String latestTxnId(RequestContext context, String instanceId) {
    return bus.call(
        Topics.guest(instanceId), GuestMethods.GET_LATEST_TXN_ID, context, NoArgs.INSTANCE);
  }

  /** {@code [source identity, replayed position]} of a replica. */
  public JsonNode lastTxn(RequestContext context, String instanceId) {
    return bus.call(Topics.guest(instanceId), GuestMethods.GET_LAST_TXN, context, NoArgs.INSTANCE);
  }

  /** Waits until a replica replayed up to {@code txn}. */
  public void waitForTxn(RequestContext context, String instanceId, String txn) {
    bus.call(Topics.guest(instanceId), GuestMethods.WAIT_FOR_TXN, context, new WaitForTxnArgs(txn));
  }

  /** Tells a source to drop what it kept for a replica that left. */
  public void cleanupSource(RequestContext context, String sourceId, String replicaId) {
    bus.call(
        Topics.guest(sourceId),
        GuestMethods.CLEANUP_SOURCE_ON_REPLICA_DETACH,
        context,
        new CleanupSourceArgs(Map.of("id", replicaId)));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(JsonNode node) {
    return JSON.convertValue(node, Map.class);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
}
