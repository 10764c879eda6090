package io.coffer.guest.datastore.postgresql;

import io.coffer.guest.config.GuestConfig;
import io.coffer.guest.datastore.DataVolume;
import io.coffer.guest.datastore.DatastoreManager;
import io.coffer.guest.datastore.GuestError;
import io.coffer.guest.heartbeat.ConductorClient;
import io.coffer.guest.status.GuestStatus;
import io.coffer.model.common.BackupInfo;
import io.coffer.model.guest.DatabaseModel;
import io.coffer.model.guest.FilesystemStats;
import io.coffer.model.guest.PrepareArgs;
import io.coffer.model.guest.UserModel;
import io.coffer.model.secret.Secret;
import io.coffer.model.status.BackupState;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/** The PostgreSQL datastore manager. */
@ApplicationScoped
public class PostgresManager implements DatastoreManager {

  private static final Logger LOG = Logger.getLogger(PostgresManager.class);
  private static final double GB = 1024.0 * 1024 * 1024;

  private final PgServer server;
  private final PgAdmin admin;
  private final PgBackups backups;
  private final PgReplication replication;
  private final GuestStatus status;
  private final ConductorClient conductor;
  private final GuestConfig config;
  private final AtomicInteger volumeGb;
  private final java.util.concurrent.atomic.AtomicBoolean volumeFullReported =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** What the tenant reads when the data volume is full. */
  static final String VOLUME_FULL =
      "The data volume is full: writes fail until the volume is resized.";

  // one backup at a time, beside the RPC threads
  private final ExecutorService backupThread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "coffer-backup");
            t.setDaemon(true);
            return t;
          });
  private final AtomicReference<String> runningBackup = new AtomicReference<>();

  PostgresManager(
      PgServer server,
      PgAdmin admin,
      PgBackups backups,
      PgReplication replication,
      GuestStatus status,
      ConductorClient conductor,
      GuestConfig config) {
    this.server = server;
    this.admin = admin;
    this.backups = backups;
    this.replication = replication;
    this.status = status;
    this.conductor = conductor;
    this.config = config;
    this.volumeGb = new AtomicInteger(config.volumeSize());
  }

  void onStart(@Observes StartupEvent event) {
    if (!server.prepared()) {
      return;
    }
    // a guest restarted (server reboot, taskmanager restart) brings its database back
    try {
      server.createDirectories();
      server.writeGuestSettings();
      server.resizeVolume(volumeGb.get());
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
      failed(step, e);
    }
    report();
  }

  /**
   * Marks the instance failed and tells the conductor why: the tenant reads which step failed, the
   * administrators the cause (the server's FATAL line, the failing program's output).
   */
  private void failed(String step, Exception e) {
    status.set(ServiceStatus.FAILED);
    String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    try {
      conductor.fault(
          "The guest agent could not set up the database (" + step + " failed).",
          step + ": " + (cause.length() > 2000 ? cause.substring(0, 2000) : cause));
    } catch (RuntimeException report) {
      LOG.warnf("the failure was not reported: %s", report.getMessage());
    }
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
    server.writeGuestSettings(true);
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
    if (!runningBackup.compareAndSet(null, info.id())) {
      if (info.id().equals(runningBackup.get())) {
        LOG.infof("backup %s is running already (message delivered again)", info.id());
        return;
      }
      LOG.warnf("backup %s refused: backup %s is running", info.id(), runningBackup.get());
      conductor.updateBackup(
          info.id(), BackupState.FAILED, null, null, null, null, "another backup is running");
      return;
    }
    try {
      backupThread.execute(
          () -> {
            try {
              backup(info);
            } finally {
              runningBackup.set(null);
            }
          });
    } catch (RuntimeException e) {
      runningBackup.set(null);
      throw e;
    }
  }

  private void backup(BackupInfo info) {
    boolean incremental = info.parent() != null;
    String type = incremental ? "incremental" : "full";
    long start = System.nanoTime();
    try {
      conductor.updateBackup(info.id(), BackupState.BUILDING, null, type, null, null, null);
      String container = info.swiftContainer();
      BackupStorage.Stored stored =
          incremental
              ? backups.incremental(
                  container,
                  info.id(),
                  info.parent().id(),
                  info.parent().location(),
                  info.parent().checksum())
              : backups.full(container, info.id());
      double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
      LOG.infof(
          "backup %s (%s): %d bytes in %.1f s (%.0f MB/s)",
          info.id(), type, stored.bytes(), seconds, stored.bytes() / 1e6 / seconds);
      try {
        backups.backupTaken(stored.location());
      } catch (IOException | RuntimeException e) {
        LOG.warnf("WAL archive not pruned after backup %s: %s", info.id(), e.getMessage());
      }
      conductor.updateBackup(
          info.id(),
          BackupState.COMPLETED,
          stored.bytes() / GB,
          type,
          stored.checksum(),
          stored.location(),
          null);
    } catch (IOException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      LOG.errorf("backup %s failed: %s", info.id(), reason);
      try {
        backups.discard(info.swiftContainer(), info.id());
      } catch (IOException | RuntimeException cleanup) {
        LOG.warnf("backup %s: partial data not removed: %s", info.id(), cleanup.getMessage());
      }
      try {
        conductor.updateBackup(
            info.id(),
            BackupState.FAILED,
            null,
            type,
            null,
            null,
            reason.length() > 500 ? reason.substring(0, 500) : reason);
      } catch (RuntimeException report) {
        LOG.warnf("backup %s: failure not reported: %s", info.id(), report.getMessage());
      }
    }
  }

  /** Keeps the WAL archive to what future incremental backups need. */
  @Scheduled(every = "2m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void pruneArchive() {
    if (!server.prepared() || runningBackup.get() != null) {
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
    try {
      conductor.heartbeat(status());
    } catch (RuntimeException e) {
      LOG.warnf("status report not sent: %s", e.getMessage());
    }
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
    if (volumeFull()) {
      return ServiceStatus.BLOCKED;
    }
    return server.probe();
  }

  /**
   * Whether the data volume is full; the first time it is, the instance gets a fault saying so
   * (once per episode: a resize that frees space ends it).
   */
  private boolean volumeFull() {
    if (!DataVolume.ownFileSystem(server.home())) {
      return false;
    }
    DataVolume.Usage u;
    try {
      u = DataVolume.of(server.home());
    } catch (IOException e) {
      LOG.warnf("cannot measure the data volume: %s", e.getMessage());
      return false;
    }
    if (!u.full()) {
      if (volumeFullReported.compareAndSet(true, false)) {
        LOG.info("the data volume has room again");
      }
      return false;
    }
    if (volumeFullReported.compareAndSet(false, true)) {
      LOG.warnf("the data volume is full: %d bytes free of %d", u.freeBytes(), u.totalBytes());
      try {
        conductor.fault(
            VOLUME_FULL,
            "The data volume ("
                + volumeGb.get()
                + " GB) has "
                + u.freeBytes() / (1024 * 1024)
                + " MB free of "
                + u.totalBytes() / (1024 * 1024)
                + " MB; the database server cannot write (No space left on device).");
      } catch (RuntimeException e) {
        volumeFullReported.set(false);
        LOG.warnf("volume full fault not reported: %s", e.getMessage());
      }
    }
    return true;
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
    try {
      // a volume of its own: what its file system says; else the files against the allotment
      DataVolume.Usage u =
          DataVolume.ownFileSystem(server.home())
              ? DataVolume.of(server.home())
              : DataVolume.allotted((long) (volumeGb.get() * GB), server.usedBytes());
      long block = 4096;
      return new FilesystemStats(
          block,
          u.totalBytes() / block,
          u.freeBytes() / block,
          round2(u.totalBytes() / GB),
          u.freeBytes(),
          round2(u.usedBytes() / GB));
    } catch (IOException e) {
      throw new GuestError("cannot measure the data volume", e);
    }
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  @Override
  public void resizeVolume(int sizeGb) {
    volumeGb.set(sizeGb);
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

  @Override
  public List<Object> listDatabases(int limit, String marker, boolean includeMarker) {
    PgAdmin.Page<DatabaseModel> page = admin.databases(limit, marker, includeMarker);
    return java.util.Arrays.asList(page.items(), page.nextMarker());
  }

  @Override
  public void createDatabases(List<DatabaseModel> databases) {
    admin.createDatabases(databases);
  }

  @Override
  public void deleteDatabase(String name) {
    admin.deleteDatabase(name);
  }

  @Override
  public List<Object> listUsers(int limit, String marker, boolean includeMarker) {
    PgAdmin.Page<UserModel> page = admin.users(limit, marker, includeMarker);
    return java.util.Arrays.asList(page.items(), page.nextMarker());
  }

  @Override
  public UserModel user(String name) {
    return admin.user(name);
  }

  @Override
  public void createUsers(List<UserModel> users) {
    admin.createUsers(users);
  }

  @Override
  public void deleteUser(String name) {
    admin.deleteUser(name);
  }

  @Override
  public void updateUser(String name, String newName, Secret password) {
    admin.updateUser(name, newName, password);
  }

  @Override
  public List<DatabaseModel> access(String user) {
    return admin.access(user);
  }

  @Override
  public void grant(String user, List<String> databases) {
    admin.grant(user, databases);
  }

  @Override
  public void revoke(String user, String database) {
    admin.revoke(user, database);
  }

  @Override
  public UserModel enableRoot(Secret password) {
    return admin.enableRoot(password);
  }

  @Override
  public void disableRoot() {
    admin.disableRoot();
  }

  @Override
  public boolean rootEnabled() {
    return admin.rootEnabled();
  }
}
