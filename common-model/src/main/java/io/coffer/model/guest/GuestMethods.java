package io.coffer.model.guest;

import static io.coffer.model.rpc.TimeoutClass.HIGH;
import static io.coffer.model.rpc.TimeoutClass.LOW;
import static io.coffer.model.rpc.TimeoutClass.SNAPSHOT;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.NoArgs;
import java.util.List;

/**
 * The guest agent's RPC API (Trove's {@code trove/guestagent/api.py}), topic {@code
 * guestagent.<instance-id>}. Calls carry Trove's deadline classes: low 15 s, high 180 s, snapshot
 * 1800 s.
 */
public final class GuestMethods {

  private static final String V1_1 = "1.1";

  // --- lifecycle

  /** Set up the database server (version 1.1). */
  public static final Method<PrepareArgs, Void> PREPARE =
      Method.cast("prepare", PrepareArgs.class, V1_1);

  /** Rebuild the database server on a new image. */
  public static final Method<RebuildArgs, Void> REBUILD = Method.cast("rebuild", RebuildArgs.class);

  /** Upgrade the database server. */
  public static final Method<UpgradeArgs, Void> UPGRADE = Method.cast("upgrade", UpgradeArgs.class);

  /** Liveness of the guest agent; answers {@code true}. */
  public static final Method<NoArgs, Boolean> RPC_PING =
      Method.call("rpc_ping", NoArgs.class, Boolean.class, LOW);

  /** Stop the database server (version 1.1: no arguments). */
  public static final Method<NoArgs, Void> STOP_DB =
      Method.call("stop_db", NoArgs.class, Void.class, LOW, V1_1);

  /** Restart the database server and wait until it is healthy. */
  public static final Method<NoArgs, Void> RESTART =
      Method.call("restart", NoArgs.class, Void.class, HIGH);

  /** Start the database server with a new main configuration (version 1.1). */
  public static final Method<StartDbWithConfChangesArgs, Void> START_DB_WITH_CONF_CHANGES =
      Method.call(
          "start_db_with_conf_changes", StartDbWithConfChangesArgs.class, Void.class, HIGH, V1_1);

  /** Replace the main configuration. */
  public static final Method<ResetConfigurationArgs, Void> RESET_CONFIGURATION =
      Method.call("reset_configuration", ResetConfigurationArgs.class, Void.class, HIGH);

  /** Write (or remove) configuration overrides. */
  public static final Method<UpdateOverridesArgs, Void> UPDATE_OVERRIDES =
      Method.call("update_overrides", UpdateOverridesArgs.class, Void.class, HIGH);

  /** Apply overrides to the running server. */
  public static final Method<ApplyOverridesArgs, Void> APPLY_OVERRIDES =
      Method.call("apply_overrides", ApplyOverridesArgs.class, Void.class, HIGH);

  /** Size and usage of the data volume. */
  public static final Method<FilesystemStatsArgs, FilesystemStats> GET_FILESYSTEM_STATS =
      Method.call("get_filesystem_stats", FilesystemStatsArgs.class, FilesystemStats.class, LOW);

  /** Mount the data volume. */
  public static final Method<VolumeArgs, Void> MOUNT_VOLUME =
      Method.call("mount_volume", VolumeArgs.class, Void.class, LOW);

  /** Unmount the data volume. */
  public static final Method<VolumeArgs, Void> UNMOUNT_VOLUME =
      Method.call("unmount_volume", VolumeArgs.class, Void.class, LOW);

  /** Grow the data filesystem after the volume grew (version 1.1). */
  public static final Method<ResizeFsArgs, Void> RESIZE_FS =
      Method.call("resize_fs", ResizeFsArgs.class, Void.class, HIGH, V1_1);

  /** Prepare an upgrade. */
  public static final Method<NoArgs, JsonNode> PRE_UPGRADE =
      Method.call("pre_upgrade", NoArgs.class, JsonNode.class, HIGH);

  /** Finish an upgrade. */
  public static final Method<PostUpgradeArgs, Void> POST_UPGRADE =
      Method.call("post_upgrade", PostUpgradeArgs.class, Void.class, HIGH);

  // --- databases, users, access

  /** Create databases. */
  public static final Method<CreateDatabaseArgs, Void> CREATE_DATABASE =
      Method.cast("create_database", CreateDatabaseArgs.class);

  /** Drop a database. */
  public static final Method<DeleteDatabaseArgs, Void> DELETE_DATABASE =
      Method.cast("delete_database", DeleteDatabaseArgs.class);

  /** One page of databases: {@code [[databases…], next_marker | null]}. */
  public static final Method<ListArgs, JsonNode> LIST_DATABASES =
      Method.call("list_databases", ListArgs.class, JsonNode.class, LOW);

  /** Create users. */
  public static final Method<CreateUserArgs, Void> CREATE_USER =
      Method.cast("create_user", CreateUserArgs.class);

  /** Drop a user. */
  public static final Method<DeleteUserArgs, Void> DELETE_USER =
      Method.cast("delete_user", DeleteUserArgs.class);

  /** One user, or {@code null}. */
  public static final Method<UserRefArgs, UserModel> GET_USER =
      Method.call("get_user", UserRefArgs.class, UserModel.class, LOW);

  /** One page of users: {@code [[users…], next_marker | null]}. */
  public static final Method<ListArgs, JsonNode> LIST_USERS =
      Method.call("list_users", ListArgs.class, JsonNode.class, HIGH);

  /** Change the passwords of users. */
  public static final Method<ChangePasswordsArgs, Void> CHANGE_PASSWORDS =
      Method.cast("change_passwords", ChangePasswordsArgs.class);

  /** Rename a user or change its host or password. */
  public static final Method<UpdateAttributesArgs, Void> UPDATE_ATTRIBUTES =
      Method.cast("update_attributes", UpdateAttributesArgs.class);

  /** Databases a user may access. */
  public static final Method<UserRefArgs, DatabaseModel[]> LIST_ACCESS =
      Method.call("list_access", UserRefArgs.class, DatabaseModel[].class, LOW);

  /** Grant a user all privileges on databases. */
  public static final Method<GrantAccessArgs, Void> GRANT_ACCESS =
      Method.call("grant_access", GrantAccessArgs.class, Void.class, LOW);

  /** Revoke a user's privileges on a database. */
  public static final Method<RevokeAccessArgs, Void> REVOKE_ACCESS =
      Method.call("revoke_access", RevokeAccessArgs.class, Void.class, LOW);

  // --- root

  /** Enable the root account with a generated password; returns the root user. */
  public static final Method<NoArgs, UserModel> ENABLE_ROOT =
      Method.call("enable_root", NoArgs.class, UserModel.class, HIGH);

  /** Enable the root account with the given (or a generated) password. */
  public static final Method<EnableRootWithPasswordArgs, UserModel> ENABLE_ROOT_WITH_PASSWORD =
      Method.call(
          "enable_root_with_password", EnableRootWithPasswordArgs.class, UserModel.class, HIGH);

  /** Disable the root account (reset it to a random password). */
  public static final Method<NoArgs, Void> DISABLE_ROOT =
      Method.call("disable_root", NoArgs.class, Void.class, LOW);

  /** Whether the root account is enabled. */
  public static final Method<NoArgs, Boolean> IS_ROOT_ENABLED =
      Method.call("is_root_enabled", NoArgs.class, Boolean.class, LOW);

  /** The root password. */
  public static final Method<NoArgs, String> GET_ROOT_PASSWORD =
      Method.call("get_root_password", NoArgs.class, String.class, HIGH);

  // --- backups

  /** Take a backup and report its progress to the conductor. */
  public static final Method<CreateBackupArgs, Void> CREATE_BACKUP =
      Method.cast("create_backup", CreateBackupArgs.class);

  // --- replication

  /** Whether a replica needs a backup to start from. */
  public static final Method<NoArgs, Boolean> BACKUP_REQUIRED_FOR_REPLICATION =
      Method.call("backup_required_for_replication", NoArgs.class, Boolean.class, LOW);

  /** Take the snapshot a new replica starts from. */
  public static final Method<ReplicationSnapshotArgs, JsonNode> GET_REPLICATION_SNAPSHOT =
      Method.call(
          "get_replication_snapshot", ReplicationSnapshotArgs.class, JsonNode.class, SNAPSHOT);

  /** Replication context of this source, for a replica to follow it. */
  public static final Method<NoArgs, JsonNode> GET_REPLICA_CONTEXT =
      Method.call("get_replica_context", NoArgs.class, JsonNode.class, HIGH);

  /** Follow a source. */
  public static final Method<AttachReplicaArgs, Void> ATTACH_REPLICA =
      Method.call("attach_replica", AttachReplicaArgs.class, Void.class, HIGH);

  /** Stop following the source. */
  public static final Method<DetachReplicaArgs, JsonNode> DETACH_REPLICA =
      Method.call("detach_replica", DetachReplicaArgs.class, JsonNode.class, HIGH);

  /** Set or clear read-only mode. */
  public static final Method<MakeReadOnlyArgs, Void> MAKE_READ_ONLY =
      Method.call("make_read_only", MakeReadOnlyArgs.class, Void.class, HIGH);

  /** Become a replication source. */
  public static final Method<EnableAsMasterArgs, Void> ENABLE_AS_MASTER =
      Method.call("enable_as_master", EnableAsMasterArgs.class, Void.class, HIGH);

  /** Stop being a replication source. */
  public static final Method<NoArgs, Void> DEMOTE_REPLICATION_MASTER =
      Method.call("demote_replication_master", NoArgs.class, Void.class, HIGH);

  /** Latest transaction position written (an LSN on PostgreSQL). */
  public static final Method<NoArgs, String> GET_LATEST_TXN_ID =
      Method.call("get_latest_txn_id", NoArgs.class, String.class, HIGH);

  /** Last transaction replayed: {@code [source id, position]}. */
  public static final Method<NoArgs, JsonNode> GET_LAST_TXN =
      Method.call("get_last_txn", NoArgs.class, JsonNode.class, HIGH);

  /** Wait until a transaction position is replayed. */
  public static final Method<WaitForTxnArgs, Void> WAIT_FOR_TXN =
      Method.call("wait_for_txn", WaitForTxnArgs.class, Void.class, HIGH);

  /** Transaction count. */
  public static final Method<NoArgs, JsonNode> GET_TXN_COUNT =
      Method.call("get_txn_count", NoArgs.class, JsonNode.class, HIGH);

  /**
   * Removes what a source keeps for a replica that left it (on PostgreSQL its replication slot).
   * Zed guests leave it unimplemented.
   */
  public static final Method<CleanupSourceArgs, Void> CLEANUP_SOURCE_ON_REPLICA_DETACH =
      Method.call("cleanup_source_on_replica_detach", CleanupSourceArgs.class, Void.class, HIGH);

  /** Legacy replica attach. */
  public static final Method<AttachReplicationSlaveArgs, Void> ATTACH_REPLICATION_SLAVE =
      Method.cast("attach_replication_slave", AttachReplicationSlaveArgs.class);

  // --- logs and modules

  /** Guest logs. */
  public static final Method<NoArgs, JsonNode> GUEST_LOG_LIST =
      Method.call("guest_log_list", NoArgs.class, JsonNode.class, HIGH);

  /** Enable, disable, publish or discard a guest log. */
  public static final Method<GuestLogActionArgs, JsonNode> GUEST_LOG_ACTION =
      Method.call("guest_log_action", GuestLogActionArgs.class, JsonNode.class, HIGH);

  /** Modules applied. */
  public static final Method<ModuleListArgs, JsonNode> MODULE_LIST =
      Method.call("module_list", ModuleListArgs.class, JsonNode.class, HIGH);

  /** Apply modules. */
  public static final Method<ModuleApplyArgs, JsonNode> MODULE_APPLY =
      Method.call("module_apply", ModuleApplyArgs.class, JsonNode.class, HIGH);

  /** Remove a module. */
  public static final Method<ModuleRemoveArgs, Void> MODULE_REMOVE =
      Method.call("module_remove", ModuleRemoveArgs.class, Void.class, HIGH);

  /** Every guest agent method. */
  public static final List<Method<?, ?>> ALL =
      List.of(
          PREPARE,
          REBUILD,
          UPGRADE,
          RPC_PING,
          STOP_DB,
          RESTART,
          START_DB_WITH_CONF_CHANGES,
          RESET_CONFIGURATION,
          UPDATE_OVERRIDES,
          APPLY_OVERRIDES,
          GET_FILESYSTEM_STATS,
          MOUNT_VOLUME,
          UNMOUNT_VOLUME,
          RESIZE_FS,
          PRE_UPGRADE,
          POST_UPGRADE,
          CREATE_DATABASE,
          DELETE_DATABASE,
          LIST_DATABASES,
          CREATE_USER,
          DELETE_USER,
          GET_USER,
          LIST_USERS,
          CHANGE_PASSWORDS,
          UPDATE_ATTRIBUTES,
          LIST_ACCESS,
          GRANT_ACCESS,
          REVOKE_ACCESS,
          ENABLE_ROOT,
          ENABLE_ROOT_WITH_PASSWORD,
          DISABLE_ROOT,
          IS_ROOT_ENABLED,
          GET_ROOT_PASSWORD,
          CREATE_BACKUP,
          BACKUP_REQUIRED_FOR_REPLICATION,
          GET_REPLICATION_SNAPSHOT,
          GET_REPLICA_CONTEXT,
          ATTACH_REPLICA,
          DETACH_REPLICA,
          MAKE_READ_ONLY,
          ENABLE_AS_MASTER,
          DEMOTE_REPLICATION_MASTER,
          GET_LATEST_TXN_ID,
          GET_LAST_TXN,
          WAIT_FOR_TXN,
          GET_TXN_COUNT,
          CLEANUP_SOURCE_ON_REPLICA_DETACH,
          ATTACH_REPLICATION_SLAVE,
          GUEST_LOG_LIST,
          GUEST_LOG_ACTION,
          MODULE_LIST,
          MODULE_APPLY,
          MODULE_REMOVE);

  private GuestMethods() {}
}
