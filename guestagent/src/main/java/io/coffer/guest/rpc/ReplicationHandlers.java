package io.coffer.guest.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.bus.MessageHandler;
import io.coffer.guest.datastore.Datastore;
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
    private final Datastore datastore;

    Snapshot(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<ReplicationSnapshotArgs, JsonNode> method() {
      return GuestMethods.GET_REPLICATION_SNAPSHOT;
    }

    @Override
    public JsonNode handle(RequestContext context, ReplicationSnapshotArgs args) {
      return JSON.valueToTree(datastore.replication().replicationSnapshot());
    }
  }

  @ApplicationScoped
  static class Context implements MessageHandler<NoArgs, JsonNode> {
    private final Datastore datastore;

    Context(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<NoArgs, JsonNode> method() {
      return GuestMethods.GET_REPLICA_CONTEXT;
    }

    @Override
    public JsonNode handle(RequestContext context, NoArgs args) {
      return JSON.valueToTree(datastore.replication().replicaContext());
    }
  }

  @ApplicationScoped
  static class Attach implements MessageHandler<AttachReplicaArgs, Void> {
    private final Datastore datastore;

    Attach(Datastore datastore) {
      this.datastore = datastore;
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
      datastore
          .replication()
          .attachReplica(args.replicaInfo(), Boolean.TRUE.equals(args.restart()));
      return null;
    }
  }

  @ApplicationScoped
  static class Detach implements MessageHandler<DetachReplicaArgs, JsonNode> {
    private final Datastore datastore;

    Detach(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<DetachReplicaArgs, JsonNode> method() {
      return GuestMethods.DETACH_REPLICA;
    }

    @Override
    public JsonNode handle(RequestContext context, DetachReplicaArgs args) {
      datastore.replication().detachReplica(Boolean.TRUE.equals(args.forFailover()));
      return JSON.valueToTree(Map.of());
    }
  }

  @ApplicationScoped
  static class ReadOnly implements MessageHandler<MakeReadOnlyArgs, Void> {
    private final Datastore datastore;

    ReadOnly(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<MakeReadOnlyArgs, Void> method() {
      return GuestMethods.MAKE_READ_ONLY;
    }

    @Override
    public Void handle(RequestContext context, MakeReadOnlyArgs args) {
      datastore.replication().makeReadOnly(!Boolean.FALSE.equals(args.readOnly()));
      return null;
    }
  }

  @ApplicationScoped
  static class EnableAsMaster implements MessageHandler<EnableAsMasterArgs, Void> {
    private final Datastore datastore;

    EnableAsMaster(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<EnableAsMasterArgs, Void> method() {
      return GuestMethods.ENABLE_AS_MASTER;
    }

    @Override
    public Void handle(RequestContext context, EnableAsMasterArgs args) {
      datastore.replication().enableAsMaster();
      return null;
    }
  }

  @ApplicationScoped
  static class Demote implements MessageHandler<NoArgs, Void> {
    private final Datastore datastore;

    Demote(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<NoArgs, Void> method() {
      return GuestMethods.DEMOTE_REPLICATION_MASTER;
    }

    @Override
    public Void handle(RequestContext context, NoArgs args) {
      datastore.replication().demoteReplicationMaster();
      return null;
    }
  }

  @ApplicationScoped
  static class LatestTxn implements MessageHandler<NoArgs, String> {
    private final Datastore datastore;

    LatestTxn(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<NoArgs, String> method() {
      return GuestMethods.GET_LATEST_TXN_ID;
    }

    @Override
    public String handle(RequestContext context, NoArgs args) {
      return datastore.replication().latestTxnId();
    }
  }

  @ApplicationScoped
  static class LastTxn implements MessageHandler<NoArgs, JsonNode> {
    private final Datastore datastore;

    LastTxn(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<NoArgs, JsonNode> method() {
      return GuestMethods.GET_LAST_TXN;
    }

    @Override
    public JsonNode handle(RequestContext context, NoArgs args) {
      return JSON.valueToTree(datastore.replication().lastTxn());
    }
  }

  @ApplicationScoped
  static class WaitForTxn implements MessageHandler<WaitForTxnArgs, Void> {
    private final Datastore datastore;

    WaitForTxn(Datastore datastore) {
      this.datastore = datastore;
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
      datastore.replication().waitForTxn(args.txn());
      return null;
    }
  }

  @ApplicationScoped
  static class CleanupSource implements MessageHandler<CleanupSourceArgs, Void> {
    private final Datastore datastore;

    CleanupSource(Datastore datastore) {
      this.datastore = datastore;
    }

    @Override
    public Method<CleanupSourceArgs, Void> method() {
      return GuestMethods.CLEANUP_SOURCE_ON_REPLICA_DETACH;
    }

    @Override
    public Void handle(RequestContext context, CleanupSourceArgs args) {
      datastore.replication().cleanupSourceOnReplicaDetach(args.replicaInfo());
      return null;
    }
  }
}
