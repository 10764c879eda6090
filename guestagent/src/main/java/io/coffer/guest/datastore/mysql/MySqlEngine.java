package io.coffer.guest.datastore.mysql;

import io.coffer.guest.datastore.BackupAgent;
import io.coffer.guest.datastore.DatabaseAdmin;
import io.coffer.guest.datastore.Engine;
import io.coffer.guest.datastore.EngineLogs;
import io.coffer.guest.datastore.ReplicationAgent;
import io.coffer.guest.datastore.ServerConfiguration;
import io.coffer.guest.datastore.ServerLifecycle;
import io.coffer.model.config.DatastoreDefaults;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** MySQL and MariaDB, both served by a MariaDB server. */
@ApplicationScoped
class MySqlEngine implements Engine {

  static final Set<String> MANAGERS = DatastoreDefaults.MYSQL_MANAGERS;

  private final MySqlManager manager;
  private final MySqlAdmin admin;
  private final MySqlReplication replication;

  private final MySqlLogs logs;

  MySqlEngine(
      MySqlManager manager, MySqlAdmin admin, MySqlReplication replication, MySqlLogs logs) {
    this.logs = logs;
    this.manager = manager;
    this.admin = admin;
    this.replication = replication;
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
    return replication;
  }

  @Override
  public EngineLogs logs() {
    return logs;
  }
}
