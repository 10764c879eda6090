package io.coffer.guest.datastore;

import java.util.Set;

/**
 * A database engine the guest agent can manage, as the pieces the RPC handlers call. Each engine is
 * a bean; {@link Datastore} picks the one of the instance's datastore manager.
 */
public interface Engine {

  /** The datastore managers this engine serves (Trove's {@code datastore_manager}). */
  Set<String> managers();

  /** Whether this engine is the one of this guest's instance. */
  default boolean serves(String manager) {
    return managers().contains(manager);
  }

  /** Server lifecycle. */
  ServerLifecycle lifecycle();

  /** Configuration groups. */
  ServerConfiguration configuration();

  /** Databases, users, grants and root. */
  DatabaseAdmin admin();

  /** Backups. */
  BackupAgent backups();

  /** Replication. */
  ReplicationAgent replication();

  /** The logs the engine writes that a tenant may turn on and publish. */
  EngineLogs logs();
}
