package io.coffer.guest.datastore.postgresql;

import io.coffer.guest.config.GuestConfig;
import io.coffer.guest.datastore.BackupAgent;
import io.coffer.guest.datastore.BackupRunner;
import io.coffer.guest.datastore.EarlyInit;
import io.coffer.guest.datastore.GuestError;
import io.coffer.guest.datastore.GuestReports;
import io.coffer.guest.datastore.ReplicationAgent;
import io.coffer.guest.datastore.ServerConfiguration;
import io.coffer.guest.datastore.ServerLifecycle;
import io.coffer.guest.datastore.VolumeWatch;
import io.coffer.guest.heartbeat.ConductorClient;
import io.coffer.guest.status.GuestStatus;
import io.coffer.model.common.BackupInfo;
import io.coffer.model.guest.FilesystemStats;
import io.coffer.model.guest.PrepareArgs;
import io.coffer.model.secret.Secret;
import io.coffer.model.status.ServiceStatus;
import io.coffer.storage.BackupStorage;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** The PostgreSQL datastore manager. */
@ApplicationScoped
public class PostgresManager
    implements ServerLifecycle, ServerConfiguration, BackupAgent, ReplicationAgent {

  private static final Logger LOG = Logger.getLogger(PostgresManager.class);
  private final PgServer server;
  private final PgAdmin admin;
  private final PgBackups backups;
  private final PgReplication replication;
  private final GuestStatus status;
  private final GuestReports reports;
  private final GuestConfig config;
  private final VolumeWatch volume;
  private final BackupRunner backupRunner;

  PostgresManager(
      PgServer server,
      PgAdmin admin,
      PgBackups backups,
      PgReplication replication,
      GuestStatus status,
      GuestReports reports,
      ConductorClient conductor,
      GuestConfig config) {
    this.server = server;
    this.admin = admin;
    this.backups = backups;
    this.replication = replication;
    this.status = status;
    this.reports = reports;
    this.config = config;
    this.volume = new VolumeWatch(server.home(), config.volumeSize(), conductor);
    this.backupRunner = new BackupRunner(new BackupWork(), conductor);
  }

  /** Whether this guest's instance runs PostgreSQL. */
  private boolean mine() {
    return PostgresEngine.MANAGERS.contains(config.datastoreManager());
  }

  /** The cluster made while the guest waits for its prepare (see {@link #onStart}). */
  private final EarlyInit early = new EarlyInit();

  void onStart(@Observes StartupEvent event) {
    if (!mine() || config.classDataTraining()) {
      return;
    }
    if (!server.prepared()) {
      // a new instance: initdb runs now, while the control plane sends the prepare
      early.begin("initdb", server::initialize);
      return;
    }
    // a guest restarted (server reboot, taskmanager restart) brings its database back
    try {
      server.createDirectories();
      server.writeGuestSettings();
      server.resizeVolume(volume.sizeGb());
      if (config.fenced()) {
        // another instance took this one's place as source: started as it was, this server
        // would be a second writer; it stays down until it rejoins as a replica
        LOG.warn("fenced: the database server stays down until it rejoins as a replica");
        status.probe();
        return;
      }
      server.start();
    } catch (GuestError | IOException e) {
      LOG.errorf("the prepared database server does not start: %s", e.getMessage());
    }
    status.probe();
  }

  @Override
  public void prepare(PrepareArgs a) {
    if (server.prepared()) {
      LOG.info("prepare: already prepared, making sure the server runs");
      server.start();
      status.probe();
      report();
      return;
    }
    status.set(ServiceStatus.BUILDING);
    report();
    long start = System.nanoTime();
    if (!early.await()) {
      // prepare makes the cluster itself, from scratch
      try {
        PgBackups.deleteTree(server.pgdata());
      } catch (IOException e) {
        LOG.warnf("the cluster made at start is not removed: %s", e.getMessage());
      }
    }
    String step =
        a.snapshot() != null
            ? "copying the replication source"
            : a.backupInfo() != null ? "restoring the backup" : "creating the database server";
    try {
      if (a.snapshot() != null) {
        replicate(a);
      } else if (a.backupInfo() != null) {
        restore(a);
      } else {
        server.initialize();
        server.writeConfig(a.configContents());
        server.writeOverrides(a.overrides());
        server.start();
      }
      step = "creating the databases, users and root account";
      if (a.snapshot() == null) {
        // a replica has its source's databases and users, and cannot write
        admin.createDatabases(a.databases() == null ? List.of() : a.databases());
        admin.createUsers(a.users() == null ? List.of() : a.users());
      }
      // a restored instance keeps the root account of its backup (Trove does the same)
      if (a.rootPassword() != null && a.backupInfo() == null && a.snapshot() == null) {
        admin.enableRoot(a.rootPassword());
      }
      server.markPrepared();
      status.probe();
      LOG.infof(
          "prepare finished in %d ms", Duration.ofNanos(System.nanoTime() - start).toMillis());
    } catch (IOException | RuntimeException e) {
      LOG.errorf(e, "prepare failed while %s", step);
      reports.prepareFailed(step, e);
    }
    report();
  }

  /**
   * Builds the server from a backup: unpack the chain, start with the WAL to replay, wait until the
   * server opened, then give the admin role a password of this instance.
   */
  private void restore(PrepareArgs a) throws IOException {
    long start = System.nanoTime();
    server.createDirectories();
    backups.unpack(a.backupInfo());
    Secret password = server.newPassword();
    server.writeAdminPassword(password);
    server.writeConfig(a.configContents());
    server.writeOverrides(a.overrides());
    server.writeGuestSettings(true, a.backupInfo().restoreTime());
    server.writeHba(List.of(), true);
    server.start(config.restoreTimeout());
    backups.awaitRecovery(config.restoreTimeout());
    admin.setAdminPassword(password);
    server.writeGuestSettings(false);
    server.writeHba(List.of());
    server.reload();
    PgBackups.deleteTree(server.restoreWalDir());
    LOG.infof(
        "restore of backup %s finished in %d ms",
        a.backupInfo().id(), Duration.ofNanos(System.nanoTime() - start).toMillis());
  }

  /** Builds a hot standby of the snapshot's source. */
  private void replicate(PrepareArgs a) throws IOException {
    replication.copyFrom(a.snapshot());
    server.writeConfig(a.configContents());
    server.writeOverrides(a.overrides());
    server.writeGuestSettings();
    server.writeHba(List.of());
    server.start(config.restoreTimeout());
  }

  @Override
  public Map<String, Object> replicationSnapshot() {
    return replication.snapshot();
  }

  @Override
  public Map<String, Object> replicaContext() {
    return replication.replicaContext();
  }

  @Override
  public void attachReplica(Map<String, Object> replicaInfo, boolean restart) {
    try {
      replication.attach(replicaInfo, restart);
    } catch (IOException e) {
      throw new GuestError("cannot follow the new source: " + e.getMessage(), e);
    } finally {
      status.probe();
      report();
    }
  }

  @Override
  public void detachReplica(boolean forFailover) {
    replication.promote();
  }

  @Override
  public void makeReadOnly(boolean readOnly) {
    replication.readOnly(readOnly);
    status.probe();
    report();
  }

  @Override
  public void enableAsMaster() {
    replication.replicaContext();
  }

  @Override
  public void demoteReplicationMaster() {
    replication.dropLocalSlots();
  }

  @Override
  public String latestTxnId() {
    return replication.latestPosition();
  }

  @Override
  public List<Object> lastTxn() {
    return replication.lastReplayed();
  }

  @Override
  public void waitForTxn(String txn) {
    replication.waitFor(txn);
  }

  @Override
  public void cleanupSourceOnReplicaDetach(Map<String, Object> replicaInfo) {
    Object id = replicaInfo == null ? null : replicaInfo.get("id");
    if (id == null) {
      throw GuestError.badRequest("replica_info needs the replica's id");
    }
    replication.dropSlot(id.toString());
  }

  @Override
  public void createBackup(BackupInfo info) {
    backupRunner.createBackup(info);
  }

  /** PostgreSQL's backups: base backups and WAL, see {@link PgBackups}. */
  private final class BackupWork implements BackupRunner.Work {
    @Override
    public BackupStorage.Stored full(String container, String id) throws IOException {
      return backups.full(container, id);
    }

    @Override
    public BackupStorage.Stored incremental(
        String container, String id, BackupInfo.ParentBackup parent) throws IOException {
      return backups.incremental(container, id, parent.id(), parent.location(), parent.checksum());
    }

    @Override
    public void discard(String container, String id) throws IOException {
      backups.discard(container, id);
    }

    @Override
    public void taken(String location) throws IOException {
      backups.backupTaken(location);
    }
  }

  /**
   * Brings the WAL archive in the backup storage up to date (point-in-time recovery), then drops
   * the local copies it no longer needs.
   */
  @Scheduled(
      every = "${coffer.guest.wal-archive-interval}",
      delayed = "3s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void archiveWal() {
    if (!mine() || !server.prepared() || !server.running()) {
      return;
    }
    try {
      // the server's own copies go once stored (else at the two-minute pruning below)
      if (backups.shipArchive() > 0 && !backupRunner.busy()) {
        backups.pruneArchive();
      }
    } catch (IOException | java.sql.SQLException | RuntimeException e) {
      LOG.warnf("WAL archive not brought up to date: %s", e.getMessage());
    }
  }

  /** Keeps the WAL archive to what future incremental backups need. */
  @Scheduled(every = "2m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void pruneArchive() {
    if (!mine() || !server.prepared() || backupRunner.busy()) {
      return;
    }
    try {
      backups.pruneArchive();
    } catch (IOException | RuntimeException e) {
      LOG.warnf("WAL archive not pruned: %s", e.getMessage());
    }
  }

  /** Sends the current status now instead of at the next heartbeat. */
  private void report() {
    reports.report(status());
  }

  @Override
  public ServiceStatus status() {
    ServiceStatus override = status.override();
    if (override != null) {
      return override;
    }
    if (!server.prepared()) {
      return ServiceStatus.NEW;
    }
    if (volume.full()) {
      return ServiceStatus.BLOCKED;
    }
    return server.probe();
  }

  @Override
  public void restart() {
    status.set(ServiceStatus.RESTARTING);
    try {
      server.restart();
    } finally {
      status.probe();
      report();
    }
    if (server.probe() != ServiceStatus.HEALTHY) {
      throw new GuestError(
          "the database did not come back healthy after the restart", (Throwable) null);
    }
  }

  @Override
  public void stop() {
    server.stop();
    report();
  }

  @Override
  public void startWithConfiguration(String configContents) {
    try {
      server.writeConfig(configContents);
    } catch (IOException e) {
      throw new GuestError("cannot write the configuration", e);
    }
    restart();
  }

  @Override
  public void updateOverrides(Map<String, Object> overrides, boolean remove) {
    try {
      server.writeOverrides(remove ? Map.of() : overrides);
    } catch (IOException e) {
      throw new GuestError("cannot write the configuration overrides", e);
    }
  }

  @Override
  public void applyOverrides() {
    server.reload();
  }

  @Override
  public FilesystemStats filesystemStats() {
    return volume.stats(() -> VolumeWatch.usedBytes(server.home()));
  }

  @Override
  public void resizeVolume(int sizeGb) {
    volume.resized(sizeGb);
    try {
      server.resizeVolume(sizeGb);
    } catch (IOException e) {
      throw new GuestError("cannot size the write-ahead log for the volume", e);
    }
    if (!server.prepared()) {
      return;
    }
    // a server stopped by a full volume comes back now that there is room
    if (server.running()) {
      server.reload();
    } else {
      server.start();
    }
    status.probe();
    report();
  }
}
