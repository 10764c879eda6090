package io.coffer.guest.datastore.postgresql;

import io.coffer.guest.config.GuestConfig;
import io.coffer.guest.datastore.Command;
import io.coffer.guest.datastore.GuestError;
import io.coffer.model.config.PostgresDefaults;
import io.coffer.model.secret.Secret;
import io.coffer.model.status.ServiceStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jboss.logging.Logger;

/**
 * The PostgreSQL server of this instance: its data directory, configuration and process, driven
 * with Debian's PostgreSQL binaries ({@code initdb}, {@code pg_ctl}).
 *
 * <pre>
 * data-dir/data            PGDATA; postgresql.conf includes coffer.conf, overrides.conf, guest.conf
 * data-dir/run             the server's socket directory (private to the guest's OS user)
 * data-dir/logs            the server's log
 * data-dir/wal_archive     write-ahead log segments archived by the server (incremental backups)
 * data-dir/restore_wal     write-ahead log a restore replays (only while restoring)
 * data-dir/admin.pw        the password of the admin role "postgres" (mode 600)
 * data-dir/.prepared       written once prepare has finished
 * </pre>
 */
@ApplicationScoped
public class PgServer {

  private static final Logger LOG = Logger.getLogger(PgServer.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final String ADMIN = "postgres";

  private final GuestConfig config;
  private final SecureRandom random = new SecureRandom();
  private volatile Secret adminPassword;

  PgServer(GuestConfig config) {
    this.config = config;
  }

  Path home() {
    return config.dataDir();
  }

  /** PGDATA. */
  public Path pgdata() {
    return home().resolve("data");
  }

  /** Where the server archives its write-ahead log. */
  public Path archiveDir() {
    return home().resolve("wal_archive");
  }

  /** Where a restore puts the write-ahead log it replays. */
  public Path restoreWalDir() {
    return home().resolve("restore_wal");
  }

  /** The server's socket directory. */
  public Path socketDir() {
    return home().resolve("run");
  }

  /** The port the server listens on. */
  public int port() {
    return config.port();
  }

  /** The admin role. */
  public String adminRole() {
    return ADMIN;
  }

  Path bin(String program) {
    Path dir =
        config.binDir().orElse(Path.of("/usr/lib/postgresql", config.datastoreVersion(), "bin"));
    return dir.resolve(program);
  }

  /** Whether prepare has finished on this data directory. */
  public boolean prepared() {
    return Files.exists(home().resolve(".prepared"));
  }

  /** Marks prepare as finished. */
  public void markPrepared() throws IOException {
    Files.writeString(home().resolve(".prepared"), "prepared\n");
  }

  /** Creates the cluster: initdb with a generated admin password, Coffer's hba and includes. */
  public void initialize() throws IOException {
    createDirectories();
    if (Files.exists(pgdata().resolve("PG_VERSION"))) {
      LOG.info("the database cluster exists already; keeping it");
      return;
    }
    Secret password = newPassword();
    Path pwfile = writeAdminPassword(password);
    Command.check(
        List.of(
            bin("initdb").toString(),
            "-D",
            pgdata().toString(),
            "-U",
            ADMIN,
            "--pwfile=" + pwfile,
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "-E",
            "UTF8",
            "--locale=C.UTF-8"),
        home(),
        Duration.ofSeconds(120));
    adminPassword = password;
    Files.writeString(
        pgdata().resolve("postgresql.conf"),
        "\n# Coffer: the template for the flavor, the configuration group, the guest's own settings\n"
            + "include_if_exists = 'coffer.conf'\n"
            + "include_if_exists = 'overrides.conf'\n"
            + "include_if_exists = 'guest.conf'\n",
        StandardOpenOption.APPEND);
    writeGuestSettings();
    writeHba(List.of());
  }

  /** The guest's directories beside PGDATA. */
  public void createDirectories() throws IOException {
    Files.createDirectories(home());
    Path run = socketDir();
    Files.createDirectories(run);
    Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(home().resolve("logs"));
    Files.createDirectories(archiveDir());
  }

  /** Stores a new admin password (mode 600) and returns its file. */
  Path writeAdminPassword(Secret password) throws IOException {
    Path pwfile = home().resolve("admin.pw");
    Files.deleteIfExists(pwfile);
    Files.createFile(
        pwfile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(pwfile, password.value(), StandardCharsets.UTF_8);
    adminPassword = password;
    return pwfile;
  }

  /** The settings the guest needs whatever the configuration says (addresses, sockets, logging). */
  public void writeGuestSettings() throws IOException {
    writeGuestSettings(false);
  }

  /**
   * The guest's own settings; while {@code restoring}, also where the server finds the write-ahead
   * log to replay.
   */
  public void writeGuestSettings(boolean restoring) throws IOException {
    writeGuestSettings(restoring, null);
  }

  /**
   * The guest's own settings while restoring, replay stopping before the first commit after {@code
   * recoveryTargetTime} (ISO-8601; null: replay all the WAL there is), the server then opening.
   */
  public void writeGuestSettings(boolean restoring, String recoveryTargetTime) throws IOException {
    String archive = safePath(archiveDir());
    Map<String, Object> s = new java.util.LinkedHashMap<>();
    s.put("listen_addresses", config.bindAddress());
    s.put("port", config.port());
    s.put("unix_socket_directories", home().resolve("run").toString());
    s.put("password_encryption", "scram-sha-256");
    // a failing statement may hold a password: never copy statements into the server log
    s.put("log_min_error_statement", "panic");
    s.put("log_statement", "none");
    s.put("logging_collector", false);
    // every completed WAL segment is archived (only complete files carry the final name):
    // incremental backups are the archived WAL since their parent
    s.put("archive_mode", true);
    s.put(
        "archive_command",
        "test -f "
            + archive
            + "/%f && cmp -s %p "
            + archive
            + "/%f || (cp %p "
            + archive
            + "/%f.part && mv "
            + archive
            + "/%f.part "
            + archive
            + "/%f)");
    // replication: a former source can be rewound onto a new source's history; replicas that
    // fall a little behind find the WAL still there
    s.put("wal_log_hints", true);
    if (restoring) {
      s.put("restore_command", "cp " + safePath(restoreWalDir()) + "/%f %p");
      s.put("recovery_target_timeline", "latest");
      // no read-only sessions while replaying: a hot standby would need max_connections and the
      // other limits at least as high as the source's, which a smaller flavor does not have; the
      // instance opens with its own flavor's settings once recovery ends
      s.put("hot_standby", false);
      if (recoveryTargetTime != null) {
        s.put("recovery_target_time", recoveryTime(java.time.Instant.parse(recoveryTargetTime)));
        s.put("recovery_target_inclusive", true);
        s.put("recovery_target_action", "promote");
      }
    }
    Files.writeString(pgdata().resolve("guest.conf"), PostgresDefaults.render(s));
  }

  /**
   * A time as {@code recovery_target_time} takes it: the server's own timestamp format with an
   * offset, to the microsecond (it refuses ISO-8601's {@code Z}).
   */
  static String recoveryTime(java.time.Instant t) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS")
            .withZone(java.time.ZoneOffset.UTC)
            .format(t)
        + "+00";
  }

  /** A path that can go into a shell command unquoted. */
  private static String safePath(Path p) {
    String s = p.toAbsolutePath().toString();
    if (!s.matches("[A-Za-z0-9/._+-]+")) {
      throw new GuestError(
          "the data directory path "
              + s
              + " has characters a shell command "
              + "cannot take unquoted",
          (Throwable) null);
    }
    return s;
  }

  /** Writes pg_hba.conf: tenant users by password from {@code cidrs} (all when empty). */
  public void writeHba(List<String> cidrs) throws IOException {
    writeHba(cidrs, false);
  }

  /**
   * Writes pg_hba.conf; {@code trustAdmin} lets the admin role in from this host without its
   * password (only while a restore resets it).
   */
  public void writeHba(List<String> cidrs, boolean trustAdmin) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("# Coffer: the socket directory is private to the guest agent's OS user");
    lines.add("local all all trust");
    lines.add("local replication all trust");
    lines.add("host all " + ADMIN + " samehost " + (trustAdmin ? "trust" : "scram-sha-256"));
    lines.add("host all " + ADMIN + " 0.0.0.0/0 reject");
    lines.add("host all " + ADMIN + " ::/0 reject");
    lines.add("host replication replicator 0.0.0.0/0 scram-sha-256");
    if (cidrs.isEmpty()) {
      lines.add("host all all 0.0.0.0/0 scram-sha-256");
      lines.add("host all all ::/0 scram-sha-256");
    } else {
      cidrs.forEach(c -> lines.add("host all all " + c + " scram-sha-256"));
    }
    Files.writeString(pgdata().resolve("pg_hba.conf"), String.join("\n", lines) + "\n");
  }

  /** Marks the lines that size the write-ahead log for the volume, at the end of coffer.conf. */
  private static final String WAL_SIZING = "# write-ahead log sized for the volume";

  private final java.util.concurrent.atomic.AtomicInteger volumeGb =
      new java.util.concurrent.atomic.AtomicInteger();

  /** The volume's size in GB, as last allotted. */
  public int volumeGb() {
    int v = volumeGb.get();
    return v > 0 ? v : config.volumeSize();
  }

  /**
   * Writes the main configuration (the template rendered for the flavor), with the write-ahead log
   * sized for the volume.
   */
  public void writeConfig(String contents) throws IOException {
    String base = contents == null ? "" : contents;
    int mark = base.indexOf(WAL_SIZING);
    if (mark >= 0) {
      base = base.substring(0, mark);
    }
    if (!base.isEmpty() && !base.endsWith("\n")) {
      base += "\n";
    }
    Files.writeString(pgdata().resolve("coffer.conf"), base + walSizing(volumeGb()));
  }

  /**
   * The write-ahead log's limits for a volume: the log between checkpoints may take an eighth of it
   * (64 MB to 1 GB), so that it never fills a small volume on its own. A configuration group may
   * still set other values (its file is read after this one).
   */
  static String walSizing(int volumeGb) {
    long mb = Math.max(64, Math.min(1024, volumeGb * 1024L / 8));
    return WAL_SIZING
        + "\nmax_wal_size = "
        + mb
        + "MB\nmin_wal_size = "
        + Math.min(80, mb / 2)
        + "MB\nwal_keep_size = "
        + Math.min(128, mb / 2)
        + "MB\n";
  }

  /** Sizes the write-ahead log for a volume of {@code gb} (applied at the next reload). */
  public void resizeVolume(int gb) throws IOException {
    volumeGb.set(gb);
    Path file = pgdata().resolve("coffer.conf");
    if (Files.exists(file)) {
      writeConfig(Files.readString(file));
    }
  }

  /** Writes the configuration group's values. */
  public void writeOverrides(Map<String, Object> overrides) throws IOException {
    Files.writeString(
        pgdata().resolve("overrides.conf"),
        overrides == null || overrides.isEmpty() ? "" : PostgresDefaults.render(overrides));
  }

  /** Starts the server and waits until it accepts connections. */
  public void start() {
    start(START_TIMEOUT);
  }

  /** Starts the server, waiting up to {@code timeout} (a restore replays WAL first). */
  public void start(Duration timeout) {
    clearZombieLock();
    if (running()) {
      return;
    }
    Path log = home().resolve("logs").resolve("postgresql.log");
    long logged = logSize(log);
    try {
      Command.check(
          List.of(
              bin("pg_ctl").toString(),
              "-D",
              pgdata().toString(),
              "-l",
              log.toString(),
              "-w",
              "-t",
              Long.toString(timeout.toSeconds()),
              "start"),
          home(),
          timeout.plusSeconds(10),
          // when the instance's memory runs out, the kernel ends the backend that asked for it
          // (its connection fails, the server recovers), not the postmaster or the guest
          Map.of("PG_OOM_ADJUST_FILE", "/proc/self/oom_score_adj", "PG_OOM_ADJUST_VALUE", "500"));
    } catch (GuestError e) {
      String why = serverErrors(log, logged);
      throw new GuestError(
          "the database server did not start: " + (why.isEmpty() ? e.getMessage() : why), e);
    }
    LOG.infof("postgresql started on %s:%d", config.bindAddress(), config.port());
  }

  /**
   * Removes a lock file that names a killed server not yet reaped (a zombie): the server would take
   * it for a live one and refuse to start until the host reaps it.
   */
  private void clearZombieLock() {
    Path lock = pgdata().resolve("postmaster.pid");
    try {
      if (!Files.exists(lock)) {
        return;
      }
      long pid = Long.parseLong(Files.readAllLines(lock).get(0).strip());
      Path stat = Path.of("/proc", Long.toString(pid), "stat");
      if (!Files.exists(stat)) {
        return;
      }
      String s = Files.readString(stat);
      int close = s.lastIndexOf(')');
      if (close > 0 && close + 2 < s.length() && s.charAt(close + 2) == 'Z') {
        LOG.infof("the server's lock names process %d, which has exited: removed", pid);
        Files.deleteIfExists(lock);
      }
    } catch (IOException | RuntimeException e) {
      LOG.debugf("lock file not checked: %s", e.getMessage());
    }
  }

  private static long logSize(Path log) {
    try {
      return Files.exists(log) ? Files.size(log) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * The server's own FATAL, PANIC and ERROR lines written to its log since {@code from} (statements
   * are never logged, see {@link #writeGuestSettings}), the last few of them.
   */
  static String serverErrors(Path log, long from) {
    List<String> errors = new ArrayList<>();
    try (var in = Files.newInputStream(log)) {
      in.skipNBytes(Math.min(from, Files.size(log)));
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
        int at = indexOfLevel(line);
        if (at >= 0) {
          errors.add(line.substring(at).strip());
        }
      }
    } catch (IOException e) {
      return "";
    }
    List<String> last = errors.subList(Math.max(0, errors.size() - 3), errors.size());
    return String.join("; ", last);
  }

  private static int indexOfLevel(String line) {
    for (String level : List.of("PANIC:", "FATAL:", "ERROR:")) {
      int at = line.indexOf(level);
      if (at >= 0) {
        return at;
      }
    }
    return -1;
  }

  /** Stops the server (fast shutdown: sessions are ended, data is safe). */
  public void stop() {
    closeProbe();
    if (!running()) {
      return;
    }
    Command.check(
        List.of(
            bin("pg_ctl").toString(),
            "-D",
            pgdata().toString(),
            "-m",
            "fast",
            "-w",
            "-t",
            "60",
            "stop"),
        home(),
        Duration.ofSeconds(70));
    LOG.info("postgresql stopped");
  }

  /** Restarts the server. */
  public void restart() {
    stop();
    start();
  }

  /** Makes the server re-read its configuration files. */
  public void reload() {
    Command.check(
        List.of(bin("pg_ctl").toString(), "-D", pgdata().toString(), "reload"),
        home(),
        Duration.ofSeconds(30));
  }

  /** Whether the server process runs. */
  public boolean running() {
    if (!Files.exists(pgdata().resolve("postmaster.pid"))) {
      return false;
    }
    return Command.run(
                List.of(bin("pg_ctl").toString(), "-D", pgdata().toString(), "status"),
                home(),
                Duration.ofSeconds(15))
            .exit()
        == 0;
  }

  /** A connection as the admin role to {@code database}. */
  public Connection connect(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", ADMIN);
    p.setProperty("password", adminPassword().value());
    p.setProperty("connectTimeout", "5");
    p.setProperty("socketTimeout", "120");
    p.setProperty("ApplicationName", "coffer-guestagent");
    // the guest's own statements (passwords among them) stay out of the tenant's server log
    p.setProperty("options", "-c log_statement=none -c log_min_duration_statement=-1");
    return DriverManager.getConnection(
        "jdbc:postgresql://" + config.bindAddress() + ":" + config.port() + "/" + database, p);
  }

  /**
   * The connection the probe keeps between heartbeats: a new one each time would cost a password
   * exchange on both sides and a server process fork, every heartbeat, on every instance of the
   * host.
   */
  private Connection probeConnection;

  /** The probed status: HEALTHY when {@code SELECT 1} works, RUNNING if only the process runs. */
  public synchronized ServiceStatus probe() {
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        if (probeConnection == null) {
          probeConnection = connect("postgres");
        }
        try (Statement st = probeConnection.createStatement()) {
          st.setQueryTimeout(5);
          st.execute("SELECT 1");
        }
        return ServiceStatus.HEALTHY;
      } catch (SQLException | RuntimeException e) {
        // a kept connection the server closed (a restart) is replaced once
        boolean kept = probeConnection != null;
        closeProbe();
        if (!kept || attempt > 0) {
          LOG.debugf("probe: %s", e.getMessage());
          break;
        }
      }
    }
    return running() ? ServiceStatus.RUNNING : ServiceStatus.SHUTDOWN;
  }

  private synchronized void closeProbe() {
    if (probeConnection != null) {
      try {
        probeConnection.close();
      } catch (SQLException e) {
        LOG.debugf("probe connection: %s", e.getMessage());
      }
      probeConnection = null;
    }
  }

  Secret adminPassword() {
    Secret p = adminPassword;
    if (p == null) {
      try {
        p =
            new Secret(
                Files.readString(home().resolve("admin.pw"), StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw new GuestError("the admin password of the database is missing", e);
      }
      adminPassword = p;
    }
    return p;
  }

  /** A new random password. */
  public Secret newPassword() {
    byte[] b = new byte[24];
    random.nextBytes(b);
    return new Secret(HexFormat.of().formatHex(b));
  }

  /** Bytes used by the data directory. */
  public long usedBytes() throws IOException {
    try (var files = Files.walk(home())) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0;
                }
              })
          .sum();
    }
  }
}
