package io.coffer.guest.datastore.postgresql;

import io.coffer.guest.datastore.BackupAgent;
import io.coffer.guest.datastore.DatabaseAdmin;
import io.coffer.guest.datastore.Engine;
import io.coffer.guest.datastore.EngineLogs;
import io.coffer.guest.datastore.ReplicationAgent;
import io.coffer.guest.datastore.ServerConfiguration;
import io.coffer.guest.datastore.ServerLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** PostgreSQL: the server, its roles and databases, base backups with WAL, streaming replicas. */
@ApplicationScoped
class PostgresEngine implements Engine {

  static final Set<String> MANAGERS = Set.of("postgresql");

  private final PostgresManager manager;
  private final PgAdmin admin;

  private final PgLogs logs;

  PostgresEngine(PostgresManager manager, PgAdmin admin, PgLogs logs) {
    this.logs = logs;
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
    return manager;
  }

  @Override
  public EngineLogs logs() {
    return logs;
  }
}
