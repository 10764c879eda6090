package io.coffer.model.taskmanager;

import io.coffer.model.rpc.Method;
import java.util.List;

/**
 * The taskmanager's RPC API (Trove's {@code trove/taskmanager/api.py}): all casts, version 1.0,
 * topic {@code taskmanager}.
 */
public final class TaskManagerMethods {

  /** Provision a new instance (or several replicas). */
  public static final Method<CreateInstanceArgs, Void> CREATE_INSTANCE =
      Method.cast("create_instance", CreateInstanceArgs.class);

  /** Grow an instance's volume. */
  public static final Method<ResizeVolumeArgs, Void> RESIZE_VOLUME =
      Method.cast("resize_volume", ResizeVolumeArgs.class);

  /** Move an instance to another flavor. */
  public static final Method<ResizeFlavorArgs, Void> RESIZE_FLAVOR =
      Method.cast("resize_flavor", ResizeFlavorArgs.class);

  /** Reboot the server of an instance (management API). */
  public static final Method<InstanceArgs, Void> REBOOT = Method.cast("reboot", InstanceArgs.class);

  /** Restart the database server of an instance. */
  public static final Method<InstanceArgs, Void> RESTART =
      Method.cast("restart", InstanceArgs.class);

  /** Turn a replica into a standalone instance. */
  public static final Method<InstanceArgs, Void> DETACH_REPLICA =
      Method.cast("detach_replica", InstanceArgs.class);

  /** Switch over: make a replica the source of its replica set. */
  public static final Method<InstanceArgs, Void> PROMOTE_TO_REPLICA_SOURCE =
      Method.cast("promote_to_replica_source", InstanceArgs.class);

  /** Fail over: replace a dead replica source by its most advanced replica. */
  public static final Method<InstanceArgs, Void> EJECT_REPLICA_SOURCE =
      Method.cast("eject_replica_source", InstanceArgs.class);

  /** Delete an instance and everything it owns. */
  public static final Method<InstanceArgs, Void> DELETE_INSTANCE =
      Method.cast("delete_instance", InstanceArgs.class);

  /** Move an instance to another host. */
  public static final Method<MigrateArgs, Void> MIGRATE = Method.cast("migrate", MigrateArgs.class);

  /** Rebuild an instance's server from an image. */
  public static final Method<RebuildArgs, Void> REBUILD = Method.cast("rebuild", RebuildArgs.class);

  /** Change who may connect to an instance. */
  public static final Method<UpdateAccessArgs, Void> UPDATE_ACCESS =
      Method.cast("update_access", UpdateAccessArgs.class);

  /** Upgrade an instance to another datastore version. */
  public static final Method<UpgradeArgs, Void> UPGRADE = Method.cast("upgrade", UpgradeArgs.class);

  /** Take a backup of an instance. */
  public static final Method<CreateBackupArgs, Void> CREATE_BACKUP =
      Method.cast("create_backup", CreateBackupArgs.class);

  /** Delete a backup and its stored data. */
  public static final Method<DeleteBackupArgs, Void> DELETE_BACKUP =
      Method.cast("delete_backup", DeleteBackupArgs.class);

  /** Build a cluster (clusters are not supported by Coffer). */
  public static final Method<ClusterArgs, Void> CREATE_CLUSTER =
      Method.cast("create_cluster", ClusterArgs.class);

  /** Delete a cluster. */
  public static final Method<ClusterArgs, Void> DELETE_CLUSTER =
      Method.cast("delete_cluster", ClusterArgs.class);

  /** Restart a cluster. */
  public static final Method<ClusterArgs, Void> RESTART_CLUSTER =
      Method.cast("restart_cluster", ClusterArgs.class);

  /** Add instances to a cluster. */
  public static final Method<GrowClusterArgs, Void> GROW_CLUSTER =
      Method.cast("grow_cluster", GrowClusterArgs.class);

  /** Remove instances from a cluster. */
  public static final Method<ShrinkClusterArgs, Void> SHRINK_CLUSTER =
      Method.cast("shrink_cluster", ShrinkClusterArgs.class);

  /** Upgrade a cluster. */
  public static final Method<UpgradeClusterArgs, Void> UPGRADE_CLUSTER =
      Method.cast("upgrade_cluster", UpgradeClusterArgs.class);

  /** Re-apply a module to the instances that have it. */
  public static final Method<ReapplyModuleArgs, Void> REAPPLY_MODULE =
      Method.cast("reapply_module", ReapplyModuleArgs.class);

  /** Every taskmanager method. */
  public static final List<Method<?, ?>> ALL =
      List.of(
          CREATE_INSTANCE,
          RESIZE_VOLUME,
          RESIZE_FLAVOR,
          REBOOT,
          RESTART,
          DETACH_REPLICA,
          PROMOTE_TO_REPLICA_SOURCE,
          EJECT_REPLICA_SOURCE,
          DELETE_INSTANCE,
          MIGRATE,
          REBUILD,
          UPDATE_ACCESS,
          UPGRADE,
          CREATE_BACKUP,
          DELETE_BACKUP,
          CREATE_CLUSTER,
          DELETE_CLUSTER,
          RESTART_CLUSTER,
          GROW_CLUSTER,
          SHRINK_CLUSTER,
          UPGRADE_CLUSTER,
          REAPPLY_MODULE);

  private TaskManagerMethods() {}
}
