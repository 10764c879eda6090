package io.coffer.guest.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.bus.MessageHandler;
import io.coffer.guest.datastore.DatastoreManager;
import io.coffer.guest.datastore.GuestError;
import io.coffer.model.guest.AttachReplicaArgs;
import io.coffer.model.guest.CleanupSourceArgs;
import io.coffer.model.guest.DetachReplicaArgs;
import io.coffer.model.guest.EnableAsMasterArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.guest.MakeReadOnlyArgs;
import io.coffer.model.guest.ReplicationSnapshotArgs;
import io.coffer.model.guest.WaitForTxnArgs;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.NoArgs;
import io.coffer.model.rpc.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/** Trove's replication calls, handed to the datastore manager. */
final class ReplicationHandlers {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ReplicationHandlers() {}

  @ApplicationScoped
  static class BackupRequired implements MessageHandler<NoArgs, Boolean> {
    @Override
    public Method<NoArgs, Boolean> method() {
      return GuestMethods.BACKUP_REQUIRED_FOR_REPLICATION;
    }

    @Override
    public Boolean handle(RequestContext context, NoArgs args) {
      // a replica copies its source directly (pg_basebackup): no stored backup is needed
      return false;
    }
  }

  @ApplicationScoped
  static class Snapshot implements MessageHandler<ReplicationSnapshotArgs, JsonNode> {
    private final DatastoreManager manager;

    Snapshot(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<ReplicationSnapshotArgs, JsonNode> method() {
      return GuestMethods.GET_REPLICATION_SNAPSHOT;
    }

    @Override
    public JsonNode handle(RequestContext context, ReplicationSnapshotArgs args) {
      return JSON.valueToTree(manager.replicationSnapshot());
    }
  }

  @ApplicationScoped
  static class Context implements MessageHandler<NoArgs, JsonNode> {
    private final DatastoreManager manager;

    Context(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<NoArgs, JsonNode> method() {
      return GuestMethods.GET_REPLICA_CONTEXT;
    }

    @Override
    public JsonNode handle(RequestContext context, NoArgs args) {
      return JSON.valueToTree(manager.replicaContext());
    }
  }

  @ApplicationScoped
  static class Attach implements MessageHandler<AttachReplicaArgs, Void> {
    private final DatastoreManager manager;

    Attach(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<AttachReplicaArgs, Void> method() {
      return GuestMethods.ATTACH_REPLICA;
    }

    @Override
    public Void handle(RequestContext context, AttachReplicaArgs args) {
      if (args.replicaInfo() == null) {
        throw GuestError.badRequest("attach_replica needs replica_info");
      }
      manager.attachReplica(args.replicaInfo(), Boolean.TRUE.equals(args.restart()));
      return null;
    }
  }

  @ApplicationScoped
  static class Detach implements MessageHandler<DetachReplicaArgs, JsonNode> {
    private final DatastoreManager manager;

    Detach(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<DetachReplicaArgs, JsonNode> method() {
      return GuestMethods.DETACH_REPLICA;
    }

    @Override
    public JsonNode handle(RequestContext context, DetachReplicaArgs args) {
      manager.detachReplica(Boolean.TRUE.equals(args.forFailover()));
      return JSON.valueToTree(Map.of());
    }
  }

  @ApplicationScoped
  static class ReadOnly implements MessageHandler<MakeReadOnlyArgs, Void> {
    private final DatastoreManager manager;

    ReadOnly(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<MakeReadOnlyArgs, Void> method() {
      return GuestMethods.MAKE_READ_ONLY;
    }

    @Override
    public Void handle(RequestContext context, MakeReadOnlyArgs args) {
      manager.makeReadOnly(!Boolean.FALSE.equals(args.readOnly()));
      return null;
    }
  }

  @ApplicationScoped
  static class EnableAsMaster implements MessageHandler<EnableAsMasterArgs, Void> {
    private final DatastoreManager manager;

    EnableAsMaster(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<EnableAsMasterArgs, Void> method() {
      return GuestMethods.ENABLE_AS_MASTER;
    }

    @Override
    public Void handle(RequestContext context, EnableAsMasterArgs args) {
      manager.enableAsMaster();
      return null;
    }
  }

  @ApplicationScoped
  static class Demote implements MessageHandler<NoArgs, Void> {
    private final DatastoreManager manager;

    Demote(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<NoArgs, Void> method() {
      return GuestMethods.DEMOTE_REPLICATION_MASTER;
    }

    @Override
    public Void handle(RequestContext context, NoArgs args) {
      manager.demoteReplicationMaster();
      return null;
    }
  }

  @ApplicationScoped
  static class LatestTxn implements MessageHandler<NoArgs, String> {
    private final DatastoreManager manager;

    LatestTxn(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<NoArgs, String> method() {
      return GuestMethods.GET_LATEST_TXN_ID;
    }

    @Override
    public String handle(RequestContext context, NoArgs args) {
      return manager.latestTxnId();
    }
  }

  @ApplicationScoped
  static class LastTxn implements MessageHandler<NoArgs, JsonNode> {
    private final DatastoreManager manager;

    LastTxn(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<NoArgs, JsonNode> method() {
      return GuestMethods.GET_LAST_TXN;
    }

    @Override
    public JsonNode handle(RequestContext context, NoArgs args) {
      return JSON.valueToTree(manager.lastTxn());
    }
  }

  @ApplicationScoped
  static class WaitForTxn implements MessageHandler<WaitForTxnArgs, Void> {
    private final DatastoreManager manager;

    WaitForTxn(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<WaitForTxnArgs, Void> method() {
      return GuestMethods.WAIT_FOR_TXN;
    }

    @Override
    public Void handle(RequestContext context, WaitForTxnArgs args) {
      if (args.txn() == null) {
        throw GuestError.badRequest("wait_for_txn needs txn");
      }
      manager.waitForTxn(args.txn());
      return null;
    }
  }

  @ApplicationScoped
  static class CleanupSource implements MessageHandler<CleanupSourceArgs, Void> {
    private final DatastoreManager manager;

    CleanupSource(DatastoreManager manager) {
      this.manager = manager;
    }

    @Override
    public Method<CleanupSourceArgs, Void> method() {
      return GuestMethods.CLEANUP_SOURCE_ON_REPLICA_DETACH;
    }

    @Override
    public Void handle(RequestContext context, CleanupSourceArgs args) {
      manager.cleanupSourceOnReplicaDetach(args.replicaInfo());
      return null;
    }
  }
}
