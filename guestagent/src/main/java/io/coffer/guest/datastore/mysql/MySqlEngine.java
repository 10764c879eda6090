package io.coffer.guest.datastore.mysql;

import io.coffer.guest.datastore.BackupAgent;
import io.coffer.guest.datastore.DatabaseAdmin;
import io.coffer.guest.datastore.Engine;
import io.coffer.guest.datastore.GuestError;
import io.coffer.guest.datastore.ReplicationAgent;
import io.coffer.guest.datastore.ServerConfiguration;
import io.coffer.guest.datastore.ServerLifecycle;
import io.coffer.model.config.DatastoreDefaults;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** MySQL and MariaDB, both served by a MariaDB server. */
@ApplicationScoped
class MySqlEngine implements Engine {

  static final Set<String> MANAGERS = DatastoreDefaults.MYSQL_MANAGERS;

  private final MySqlManager manager;
  private final MySqlAdmin admin;

  MySqlEngine(MySqlManager manager, MySqlAdmin admin) {
    this.manager = manager;
    this.admin = admin;
  }

  @Override
  public Set<String> managers() {
    return MANAGERS;
  }

  @Override
  public ServerLifecycle lifecycle() {
    return manager;
  }

  @Override
  public ServerConfiguration configuration() {
    return manager;
  }

  @Override
  public DatabaseAdmin admin() {
    return admin;
  }

  @Override
  public BackupAgent backups() {
    return manager;
  }

  @Override
  public ReplicationAgent replication() {
    return NO_REPLICATION;
  }

  /** Replication of MySQL/MariaDB instances: refused, with the reason. */
  private static final ReplicationAgent NO_REPLICATION =
      new ReplicationAgent() {
        private GuestError refused() {
          return new GuestError(
              "NotSupported",
              "replication of MySQL/MariaDB instances is not supported by this guest agent yet");
        }

        @Override
        public Map<String, Object> replicationSnapshot() {
          throw refused();
        }

        @Override
        public Map<String, Object> replicaContext() {
          throw refused();
        }

        @Override
        public void attachReplica(Map<String, Object> replicaInfo, boolean restart) {
          throw refused();
        }

        @Override
        public void detachReplica(boolean forFailover) {
          throw refused();
        }

        @Override
        public void makeReadOnly(boolean readOnly) {
          throw refused();
        }

        @Override
        public void enableAsMaster() {
          throw refused();
        }

        @Override
        public void demoteReplicationMaster() {
          throw refused();
        }

        @Override
        public String latestTxnId() {
          throw refused();
        }

        @Override
        public List<Object> lastTxn() {
          throw refused();
        }

        @Override
        public void waitForTxn(String txn) {
          throw refused();
        }

        @Override
        public void cleanupSourceOnReplicaDetach(Map<String, Object> replicaInfo) {
          throw refused();
        }
      };
}
