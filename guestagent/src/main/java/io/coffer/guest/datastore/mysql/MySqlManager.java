package io.coffer.guest.datastore.mysql;

import io.coffer.guest.config.GuestConfig;
import io.coffer.guest.datastore.BackupAgent;
import io.coffer.guest.datastore.BackupRunner;
import io.coffer.guest.datastore.EarlyInit;
import io.coffer.guest.datastore.GuestError;
import io.coffer.guest.datastore.GuestReports;
import io.coffer.guest.datastore.ServerConfiguration;
import io.coffer.guest.datastore.ServerLifecycle;
import io.coffer.guest.datastore.StreamPrograms;
import io.coffer.guest.datastore.VolumeWatch;
import io.coffer.guest.heartbeat.ConductorClient;
import io.coffer.guest.status.GuestStatus;
import io.coffer.model.common.BackupInfo;
import io.coffer.model.guest.FilesystemStats;
import io.coffer.model.guest.PrepareArgs;
import io.coffer.model.status.ServiceStatus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/** The MySQL/MariaDB server's lifecycle and configuration groups. */
@ApplicationScoped
public class MySqlManager implements ServerLifecycle, ServerConfiguration, BackupAgent {

  private static final Logger LOG = Logger.getLogger(MySqlManager.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  private static final Pattern SIZE = Pattern.compile("(\\d+)([KkMmGg])");
  private static final Pattern LINE = Pattern.compile("^\\s*([A-Za-z0-9_-]+)\\s*=\\s*(.*?)\\s*$");

  private final MySqlServer server;
  private final MySqlAdmin admin;
  private final GuestStatus status;
  private final GuestReports reports;
  private final ConductorClient conductor;
  private final GuestConfig config;
  private final VolumeWatch volume;
  private final MySqlBackups backups;
  private final MySqlReplication replication;
  private final BackupRunner backupRunner;

  /** Settings a configuration group had before the last update: they return to the template's. */
  private final Set<String> replaced = new LinkedHashSet<>();

  MySqlManager(
      MySqlServer server,
      MySqlAdmin admin,
      MySqlBackups backups,
      MySqlReplication replication,
      GuestStatus status,
      GuestReports reports,
      ConductorClient conductor,
      GuestConfig config) {
    this.server = server;
    this.admin = admin;
    this.status = status;
    this.reports = reports;
    this.conductor = conductor;
    this.config = config;
    this.volume = new VolumeWatch(server.home(), config.volumeSize(), conductor);
    this.backups = backups;
    this.replication = replication;
    this.backupRunner = new BackupRunner(backups, conductor);
  }

  private boolean mine() {
    return MySqlEngine.MANAGERS.contains(config.datastoreManager());
  }

  /** The data directory made while the guest waits for its prepare (see {@link #onStart}). */
  private final EarlyInit early = new EarlyInit();

  void onStart(@Observes StartupEvent event) {
    if (!mine() || config.classDataTraining()) {
      return;
    }
    if (!server.prepared()) {
      // a new instance: mariadb-install-db runs now, while the control plane sends the prepare
      early.begin(
          "install-db",
          () -> {
            server.createDirectories();
            server.initialize();
          });
      return;
    }
    // a guest restarted (server reboot, taskmanager restart) brings its database back
    try {
      server.createDirectories();
      server.writeGuestSettings();
      server.start();
      awaitConnections(Duration.ofSeconds(60));
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
      // prepare makes the data directory itself, from scratch
      try {
        StreamPrograms.deleteTree(server.datadir());
      } catch (IOException e) {
        LOG.warnf("the data directory made at start is not removed: %s", e.getMessage());
      }
    }
    String step = a.backupInfo() != null ? "restoring the backup" : "creating the database server";
    try {
      server.createDirectories();
      server.writeConfig(a.configContents());
      server.writeOverrides(a.overrides());
      String gtid = null;
      if (a.snapshot() != null) {
        step = "copying the replication source";
        server.writeGuestSettings();
        gtid = replication.restoreSnapshot(a.snapshot());
        server.writeReadOnly(true);
        server.startRestored(config.restoreTimeout());
      } else if (a.backupInfo() != null) {
        server.writeGuestSettings();
        backups.restore(a.backupInfo());
        // the backup's accounts are its source's: this instance's OS user is let in once
        server.startRestored(config.restoreTimeout());
      } else {
        server.initialize();
        server.start();
      }
      step = "creating the admin account";
      server.createAdmin();
      awaitConnections(Duration.ofSeconds(60));
      server.dropForeignAccounts();
      if (a.snapshot() != null) {
        step = "following the replication source";
        replication.follow(a.snapshot(), gtid);
      }
      step = "creating the databases, users and root account";
      // a replica has its source's databases and users, and cannot write
      if (a.backupInfo() == null && a.snapshot() == null) {
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

  /** Waits until {@code os_admin} can connect (the socket exists a moment before TCP answers). */
  private void awaitConnections(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    SQLException last = null;
    while (System.nanoTime() < end) {
      try (Connection c = server.connect()) {
        return;
      } catch (SQLException e) {
        last = e;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new GuestError(
        "the database server does not accept connections: "
            + (last == null ? "interrupted" : last.getMessage()),
        last);
  }

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
      awaitConnections(Duration.ofSeconds(60));
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
  public FilesystemStats filesystemStats() {
    return volume.stats(() -> VolumeWatch.usedBytes(server.home()));
  }

  @Override
  public void resizeVolume(int sizeGb) {
    volume.resized(sizeGb);
    if (!server.prepared()) {
      return;
    }
    // a server stopped by a full volume comes back now that there is room
    if (!server.running()) {
      server.start();
    }
    status.probe();
    report();
  }

  @Override
  public synchronized void updateOverrides(Map<String, Object> overrides, boolean remove) {
    try {
      replaced.addAll(server.readOverrides().keySet());
      server.writeOverrides(remove ? Map.of() : overrides);
    } catch (IOException e) {
      throw new GuestError("cannot write the configuration overrides", e);
    }
  }

  /**
   * Sets each value of the configuration group on the running server ({@code SET GLOBAL}); a value
   * the group no longer has returns to the template's (or the server's default). Settings the
   * server cannot change while running take effect at the next restart.
   */
  @Override
  public synchronized void applyOverrides() {
    Map<String, String> template;
    Map<String, String> overrides;
    try {
      template = server.readTemplate();
      overrides = server.readOverrides();
    } catch (IOException e) {
      throw new GuestError("cannot read the configuration", e);
    }
    Set<String> keys = new LinkedHashSet<>(replaced);
    keys.addAll(overrides.keySet());
    try (Connection c = server.connect()) {
      for (String key : keys) {
        String value = overrides.containsKey(key) ? overrides.get(key) : template.get(key);
        String variable = key.replace('-', '_');
        if (!NAME.matcher(variable).matches()) {
          LOG.warnf("setting %s skipped: not a variable name", key);
          continue;
        }
        String sql =
            "SET GLOBAL " + variable + " = " + (value == null ? "DEFAULT" : sqlValue(value));
        try (Statement st = c.createStatement()) {
          st.execute(sql);
        } catch (SQLException e) {
          // read-only variables (error 1238) wait for the restart the API asks for
          LOG.infof(
              "%s not applied live (%s): takes effect at the next restart", key, e.getMessage());
        }
      }
      replaced.clear();
    } catch (SQLException e) {
      throw new GuestError("cannot apply the configuration: " + e.getMessage(), e);
    }
  }

  /** A value of an option file as SQL: sizes in bytes, numbers bare, words quoted. */
  static String sqlValue(String value) {
    Matcher m = SIZE.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return Long.toString(
          switch (Character.toUpperCase(m.group(2).charAt(0))) {
            case 'K' -> n * 1024;
            case 'M' -> n * 1024 * 1024;
            default -> n * 1024 * 1024 * 1024;
          });
    }
    if (value.matches("-?\\d+(\\.\\d+)?")) {
      return value;
    }
    if (value.equalsIgnoreCase("on") || value.equalsIgnoreCase("true")) {
      return "ON";
    }
    if (value.equalsIgnoreCase("off") || value.equalsIgnoreCase("false")) {
      return "OFF";
    }
    return MySqlIdentifiers.literal(value);
  }

  /** Parses the {@code key = value} lines of an option file. */
  static Map<String, String> parseOptions(String contents) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : contents.lines().toList()) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        out.put(m.group(1).replace('-', '_'), m.group(2));
      }
    }
    return out;
  }

  @Override
  public void createBackup(BackupInfo backup) {
    backupRunner.createBackup(backup);
  }
}
