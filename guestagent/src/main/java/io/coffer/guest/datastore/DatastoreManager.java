package io.coffer.guest.datastore;

import io.coffer.model.common.BackupInfo;
import io.coffer.model.guest.DatabaseModel;
import io.coffer.model.guest.FilesystemStats;
import io.coffer.model.guest.PrepareArgs;
import io.coffer.model.guest.UserModel;
import io.coffer.model.secret.Secret;
import io.coffer.model.status.ServiceStatus;
import java.util.List;
import java.util.Map;

/**
 * What a datastore manager does for the guest agent: the server's lifecycle, its databases and
 * users, and its configuration. One implementation per datastore manager ({@code postgresql};
 * MySQL/MariaDB later); the RPC handlers only see this interface.
 */
public interface DatastoreManager {

  /** Sets the server up (idempotent: a prepared server is only started), from a backup if given. */
  void prepare(PrepareArgs args);

  /**
   * Starts a backup in the background and returns at once; its progress and result go to the
   * conductor ({@code update_backup}).
   */
  void createBackup(BackupInfo backup);

  /** The status to report now. */
  ServiceStatus status();

  /** Restarts the server and waits until it is healthy. */
  void restart();

  /** Stops the server. */
  void stop();

  /** Starts the server with a new main configuration. */
  void startWithConfiguration(String configContents);

  /** Writes (or, with {@code remove}, clears) the configuration group's values. */
  void updateOverrides(Map<String, Object> overrides, boolean remove);

  /** Applies the written configuration to the running server. */
  void applyOverrides();

  /** Size and usage of the data volume. */
  FilesystemStats filesystemStats();

  /** The volume grew to {@code sizeGb}. */
  void resizeVolume(int sizeGb);

  /** One page of databases: {@code [databases, next marker]}. */
  List<Object> listDatabases(int limit, String marker, boolean includeMarker);

  /** Creates databases. */
  void createDatabases(List<DatabaseModel> databases);

  /** Drops a database. */
  void deleteDatabase(String name);

  /** One page of users: {@code [users, next marker]}. */
  List<Object> listUsers(int limit, String marker, boolean includeMarker);

  /** A user or {@code null}. */
  UserModel user(String name);

  /** Creates users with their grants. */
  void createUsers(List<UserModel> users);

  /** Drops a user. */
  void deleteUser(String name);

  /** Renames a user and/or changes its password. */
  void updateUser(String name, String newName, Secret password);

  /** Databases a user may access. */
  List<DatabaseModel> access(String user);

  /** Grants a user access to databases. */
  void grant(String user, List<String> databases);

  /** Revokes a user's access to a database. */
  void revoke(String user, String database);

  /** Enables root; returns the root user with its password. */
  UserModel enableRoot(Secret password);

  /** Disables root. */
  void disableRoot();

  /** Whether root is enabled. */
  boolean rootEnabled();

  // --- replication (Trove's replication API; positions are the datastore's own)

  /** Makes this server a replication source and returns what a new replica needs. */
  Map<String, Object> replicationSnapshot();

  /** What a replica needs to follow this server. */
  Map<String, Object> replicaContext();

  /** Follows the source described by {@code replicaInfo}. */
  void attachReplica(Map<String, Object> replicaInfo, boolean restart);

  /** Stops following the source and becomes writable. */
  void detachReplica(boolean forFailover);

  /** Stops accepting writes (or accepts them again). */
  void makeReadOnly(boolean readOnly);

  /** Becomes a replication source. */
  void enableAsMaster();

  /** Stops being a replication source (drops what it kept for replicas). */
  void demoteReplicationMaster();

  /** The newest position written or replayed. */
  String latestTxnId();

  /** {@code [source identity, position]} of the last replayed change. */
  List<Object> lastTxn();

  /** Waits until the position is replayed. */
  void waitForTxn(String txn);

  /** Removes what this source kept for a replica that left. */
  void cleanupSourceOnReplicaDetach(Map<String, Object> replicaInfo);
}
