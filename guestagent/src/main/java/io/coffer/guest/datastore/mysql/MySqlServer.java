package io.coffer.guest.datastore.mysql;

import io.coffer.guest.config.GuestConfig;
import io.coffer.guest.datastore.Command;
import io.coffer.guest.datastore.GuestError;
import io.coffer.guest.datastore.SecretFile;
import io.coffer.model.config.MySqlDefaults;
import io.coffer.model.secret.Secret;
import io.coffer.model.status.ServiceStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import java.util.Optional;
import java.util.Properties;
import java.util.zip.CRC32;
import org.jboss.logging.Logger;

/**
 * One MariaDB server ({@code mariadbd}) of the instance, run by its guest agent:
 *
 * <pre>
 * home/my.cnf                  the server's only option file: includes conf.d/
 * home/conf.d/10-template.cnf  the flavor's template (the taskmanager's configuration)
 * home/conf.d/20-overrides.cnf the configuration group's values
 * home/conf.d/30-guest.cnf     what the guest needs whatever the rest says (addresses, files)
 * home/data/                   the data directory
 * home/run/                    socket and pid file (mode 0700)
 * home/logs/mariadbd.err       the server's error log
 * home/admin.pw                os_admin's password (mode 0600)
 * </pre>
 *
 * The server listens on the instance's own address and port 3306. The guest administers it as
 * {@code os_admin} (like Trove); until that account exists it uses the account {@code
 * mariadb-install-db} made for the instance's OS user, which only that user can use, through the
 * socket in its private directory.
 */
@ApplicationScoped
public class MySqlServer {

  /** The guest's own account. */
  static final String ADMIN = "os_admin";

  private static final Logger LOG = Logger.getLogger(MySqlServer.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final GuestConfig config;
  private final SecureRandom random = new SecureRandom();
  private volatile Secret adminPassword;
  private Connection probeConnection;

  MySqlServer(GuestConfig config) {
    this.config = config;
  }

  /** The instance's directory (its volume). */
  public Path home() {
    return config.dataDir();
  }

  /** The data directory. */
  public Path datadir() {
    return home().resolve("data");
  }

  Path runDir() {
    return home().resolve("run");
  }

  /** The server's socket. */
  public Path socket() {
    return runDir().resolve("mariadbd.sock");
  }

  /** The server's pid file (the local driver reads it to shut the server down). */
  Path pidFile() {
    return runDir().resolve("mariadbd.pid");
  }

  Path errorLog() {
    return home().resolve("logs").resolve("mariadbd.err");
  }

  Path confDir() {
    return home().resolve("conf.d");
  }

  /** The server's option file. */
  public Path optionFile() {
    return home().resolve("my.cnf");
  }

  Path bin(String program) {
    Optional<Path> dir = config.binDir();
    if (dir.isPresent()) {
      return dir.get().resolve(program);
    }
    return Path.of(program.equals("mariadbd") ? "/usr/sbin" : "/usr/bin", program);
  }

  /** Whether prepare has finished on this data directory. */
  public boolean prepared() {
    return Files.exists(home().resolve(".prepared"));
  }

  /** Marks prepare as finished. */
  public void markPrepared() throws IOException {
    Files.writeString(home().resolve(".prepared"), "prepared\n");
  }

  /** The directories beside the data directory. */
  public void createDirectories() throws IOException {
    Files.createDirectories(home());
    Files.createDirectories(runDir());
    Files.setPosixFilePermissions(runDir(), PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(home().resolve("logs"));
    Files.createDirectories(confDir());
    Files.createDirectories(home().resolve("tmp"));
  }

  /** Creates the data directory with {@code mariadb-install-db} (kept when it exists). */
  public void initialize() throws IOException {
    createDirectories();
    writeGuestSettings();
    if (Files.isDirectory(datadir().resolve("mysql"))) {
      LOG.info("the data directory exists already; keeping it");
      return;
    }
    Command.check(
        List.of(
            bin("mariadb-install-db").toString(),
            "--defaults-file=" + optionFile(),
            "--auth-root-authentication-method=socket",
            "--skip-test-db",
            "--skip-name-resolve"),
        home(),
        Duration.ofSeconds(120));
  }

  /** The option file and the guest's own settings. */
  public void writeGuestSettings() throws IOException {
    Files.writeString(
        optionFile(),
        "# Coffer: the template for the flavor, the configuration group, the guest's own settings\n"
            + "!includedir "
            + safePath(confDir())
            + "\n");
    StringBuilder s = new StringBuilder("[mysqld]\n");
    s.append("datadir = ").append(safePath(datadir())).append('\n');
    s.append("socket = ").append(safePath(socket())).append('\n');
    s.append("pid-file = ").append(safePath(pidFile())).append('\n');
    s.append("log-error = ").append(safePath(errorLog())).append('\n');
    s.append("tmpdir = ").append(safePath(home().resolve("tmp"))).append('\n');
    s.append("bind-address = ").append(config.bindAddress()).append('\n');
    s.append("port = ").append(config.port()).append('\n');
    // accounts name addresses, never host names (no resolver on the connection path)
    s.append("skip-name-resolve\n");
    if ("root".equals(System.getProperty("user.name"))) {
      // a guest without an OS user of its own (isolation off, as root): the server refuses root
      // unless told
      s.append("user = root\n");
    }
    s.append("server-id = ").append(serverId()).append('\n');
    s.append("log-bin = mysql-bin\n");
    s.append("binlog-format = ROW\n");
    s.append("log-slave-updates = ON\n");
    s.append("gtid-strict-mode = ON\n");
    s.append("max-binlog-size = 64M\n");
    s.append("expire-logs-days = 2\n");
    s.append("character-set-server = utf8mb4\n");
    s.append("collation-server = utf8mb4_general_ci\n");
    s.append("[client]\n");
    s.append("socket = ").append(safePath(socket())).append('\n');
    write(confDir().resolve("30-guest.cnf"), s.toString());
  }

  /** A server id of this instance: unique among its replicas (a hash of its id). */
  long serverId() {
    CRC32 crc = new CRC32();
    crc.update(config.instanceId().getBytes(StandardCharsets.UTF_8));
    return 1 + crc.getValue() % 4_000_000_000L;
  }

  /** Writes the flavor's template (the taskmanager's configuration contents). */
  public void writeConfig(String contents) throws IOException {
    String c = contents == null ? "" : contents;
    if (!c.isBlank() && !c.stripLeading().startsWith("[")) {
      c = "[mysqld]\n" + c;
    }
    write(confDir().resolve("10-template.cnf"), c);
  }

  /** Keeps the server read-only across restarts (a replica), or not. */
  public void writeReadOnly(boolean readOnly) throws IOException {
    write(confDir().resolve("35-replication.cnf"), readOnly ? "[mysqld]\nread_only = ON\n" : "");
  }

  /** Writes the configuration group's values. */
  public void writeOverrides(Map<String, Object> overrides) throws IOException {
    write(
        confDir().resolve("20-overrides.cnf"),
        overrides == null || overrides.isEmpty() ? "" : MySqlDefaults.render(overrides));
  }

  /** The configuration group's values as written. */
  public Map<String, String> readOverrides() throws IOException {
    return read(confDir().resolve("20-overrides.cnf"));
  }

  /** The template's values as written. */
  public Map<String, String> readTemplate() throws IOException {
    return read(confDir().resolve("10-template.cnf"));
  }

  private static Map<String, String> read(Path file) throws IOException {
    return Files.exists(file)
        ? MySqlManager.parseOptions(Files.readString(file, StandardCharsets.UTF_8))
        : Map.of();
  }

  private static void write(Path file, String contents) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, contents, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static String safePath(Path p) {
    String s = p.toAbsolutePath().toString();
    if (s.chars().anyMatch(ch -> ch < 0x20 || ch == '#' || ch == '"' || ch == '\'')) {
      throw new GuestError("unsupported characters in path " + s, (Throwable) null);
    }
    return s;
  }

  /** Starts the server and waits until it accepts connections. */
  public void start() {
    start(START_TIMEOUT);
  }

  /** Starts the server, waiting up to {@code timeout} (crash recovery may take a while). */
  public void start(Duration timeout) {
    if (running()) {
      return;
    }
    try {
      Files.deleteIfExists(pidFile());
      Files.deleteIfExists(socket());
    } catch (IOException e) {
      throw new GuestError("cannot clear the old pid file: " + e.getMessage(), e);
    }
    long logged = size(errorLog());
    Process p;
    try {
      // its own session: the server outlives a restart of its guest and is stopped by it (or by
      // the compute driver through the pid file), never by a signal to the guest's group
      ProcessBuilder pb =
          new ProcessBuilder(
                  "setsid", bin("mariadbd").toString(), "--defaults-file=" + optionFile())
              .directory(home().toFile())
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(
                      home().resolve("logs").resolve("mariadbd.out").toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      p = pb.start();
    } catch (IOException e) {
      throw new GuestError("cannot start mariadbd: " + e.getMessage(), e);
    }
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (!p.isAlive()) {
        String why = serverErrors(errorLog(), logged);
        throw new GuestError(
            "the database server did not start: "
                + (why.isEmpty() ? "mariadbd exited with " + p.exitValue() : why),
            (Throwable) null);
      }
      // ready once it says so: the socket exists a moment earlier, before an init file ran
      if (Files.exists(socket()) && readySince(logged)) {
        LOG.infof("mariadbd started on %s:%d", config.bindAddress(), config.port());
        return;
      }
      sleep(100);
    }
    throw new GuestError(
        "the database server did not start within "
            + timeout.toSeconds()
            + " s: "
            + serverErrors(errorLog(), logged),
        (Throwable) null);
  }

  private boolean readySince(long from) {
    try (var in = Files.newInputStream(errorLog())) {
      in.skipNBytes(Math.min(from, Files.size(errorLog())));
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .contains("ready for connections");
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the server (a clean shutdown: InnoDB flushes, the binary log closes). */
  public void stop() {
    closeProbe();
    Optional<ProcessHandle> server = process();
    if (server.isEmpty()) {
      return;
    }
    server.get().destroy();
    long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (server.get().isAlive() && System.nanoTime() < end) {
      sleep(100);
    }
    if (server.get().isAlive()) {
      LOG.warn("mariadbd did not shut down in 120 s; killing it");
      server.get().destroyForcibly();
    }
    LOG.info("mariadbd stopped");
  }

  /** Restarts the server. */
  public void restart() {
    stop();
    start();
  }

  /** Whether the server process runs. */
  public boolean running() {
    return process().isPresent();
  }

  /** The running server named by the pid file. */
  private Optional<ProcessHandle> process() {
    try {
      if (!Files.exists(pidFile())) {
        return Optional.empty();
      }
      long pid = Long.parseLong(Files.readString(pidFile()).strip());
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> h.info().command().map(c -> c.endsWith("mariadbd")).orElse(false))
          .filter(h -> !zombie(pid));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean zombie(long pid) {
    try {
      String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int close = s.lastIndexOf(')');
      return close > 0 && close + 2 < s.length() && s.charAt(close + 2) == 'Z';
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * Runs SQL through the {@code mariadb} client over the socket as the instance's OS user (the
   * account {@code mariadb-install-db} made for it): only used to create {@code os_admin}. The SQL
   * goes through a private file, never the command line.
   */
  void bootstrapSql(String sql) throws IOException {
    Path file = home().resolve("tmp").resolve("bootstrap.sql");
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(file, sql, StandardCharsets.UTF_8);
      Command.Result r =
          Command.run(
              List.of(
                  "sh",
                  "-c",
                  "exec \"$0\" --no-defaults --socket=\"$1\" -u \"$2\" < \"$3\"",
                  bin("mariadb").toString(),
                  socket().toString(),
                  System.getProperty("user.name"),
                  file.toString()),
              home(),
              Duration.ofSeconds(60));
      if (r.exit() != 0) {
        // the output names no password: the client prints the error, not the statement
        throw new GuestError(
            "cannot create the admin account: " + r.output().strip(), (Throwable) null);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Creates (or resets) {@code os_admin} with a new password, for the socket and for the instance's
   * own address, and removes anonymous accounts.
   */
  public void createAdmin() throws IOException {
    Secret password = newPassword();
    String pw = MySqlIdentifiers.literal(password);
    // the guest's own account is this server's alone: never replicated to (or from) another
    StringBuilder sql = new StringBuilder("SET SESSION sql_log_bin = 0;\n");
    for (String host : List.of("localhost", config.bindAddress())) {
      String account = MySqlIdentifiers.account(ADMIN, host);
      sql.append("CREATE USER IF NOT EXISTS ").append(account).append(";\n");
      sql.append("ALTER USER ").append(account).append(" IDENTIFIED BY ").append(pw).append(";\n");
      sql.append("GRANT ALL PRIVILEGES ON *.* TO ").append(account).append(" WITH GRANT OPTION;\n");
    }
    sql.append("DELETE FROM mysql.global_priv WHERE User = '';\n");
    sql.append("FLUSH PRIVILEGES;\n");
    bootstrapSql(sql.toString());
    writeAdminPassword(password);
  }

  /**
   * Starts a server whose data came from a backup: its accounts are the source's, so a one-time
   * init file lets this instance's OS user in through the socket (as {@code mariadb-install-db}
   * does for a new server); {@link #createAdmin} then works as on a new server.
   */
  public void startRestored(Duration timeout) throws IOException {
    Path init = home().resolve("tmp").resolve("restore-init.sql");
    Path conf = confDir().resolve("40-restore.cnf");
    String me = MySqlIdentifiers.account(System.getProperty("user.name"), "localhost");
    Files.deleteIfExists(init);
    Files.createFile(
        init, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        init,
        "CREATE USER IF NOT EXISTS "
            + me
            + " IDENTIFIED VIA unix_socket;\n"
            + "GRANT ALL PRIVILEGES ON *.* TO "
            + me
            + " WITH GRANT OPTION;\n",
        StandardCharsets.UTF_8);
    write(conf, "[mysqld]\ninit-file = " + safePath(init) + "\n");
    try {
      start(timeout);
    } finally {
      Files.deleteIfExists(conf);
      Files.deleteIfExists(init);
    }
  }

  /**
   * Drops the accounts a restored server brought from its source that are not this instance's:
   * {@code os_admin} of other addresses and the socket accounts of other instances' OS users.
   */
  public void dropForeignAccounts() {
    String me = System.getProperty("user.name");
    try (Connection c = connect()) {
      try (Statement st = c.createStatement()) {
        st.execute("SET SESSION sql_log_bin = 0");
      }
      List<String[]> foreign = new ArrayList<>();
      try (java.sql.PreparedStatement ps =
          c.prepareStatement(
              "SELECT User, Host FROM mysql.global_priv WHERE (User = 'os_admin' AND Host"
                  + " NOT IN ('localhost', ?)) OR (Host = 'localhost' AND User LIKE 'coffer-%')")) {
        ps.setString(1, config.bindAddress());
        java.sql.ResultSet rs = ps.executeQuery();
        while (rs.next()) {
          if (!rs.getString(1).equals(me)) {
            foreign.add(new String[] {rs.getString(1), rs.getString(2)});
          }
        }
      }
      for (String[] a : foreign) {
        try (Statement st = c.createStatement()) {
          st.execute("DROP USER " + MySqlIdentifiers.account(a[0], a[1]));
        }
        LOG.infof("account %s@%s of the backup's source dropped", a[0], a[1]);
      }
    } catch (SQLException e) {
      throw new GuestError("cannot drop the source's accounts: " + e.getMessage(), e);
    }
  }

  private void writeAdminPassword(Secret password) throws IOException {
    SecretFile.write(home().resolve("admin.pw"), password);
    adminPassword = password;
  }

  Secret adminPassword() {
    Secret p = adminPassword;
    if (p == null) {
      try {
        p = SecretFile.read(home().resolve("admin.pw")).orElseThrow(() -> new IOException("none"));
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

  /** A connection as {@code os_admin}, with the server's default database. */
  public Connection connect() throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", ADMIN);
    p.setProperty("password", adminPassword().value());
    p.setProperty("connectTimeout", "5000");
    p.setProperty("socketTimeout", "120000");
    p.setProperty("connectionAttributes", "program_name:coffer-guestagent");
    // from the instance's own address: the account os_admin@<address> matches nothing else
    p.setProperty("localSocketAddress", config.bindAddress());
    Connection c =
        DriverManager.getConnection(
            "jdbc:mariadb://" + config.bindAddress() + ":" + config.port() + "/", p);
    try (Statement st = c.createStatement()) {
      // literals are quoted for backslash escapes, whatever a configuration group set globally;
      // the guest's own statements (passwords among them) stay out of the tenant's logs
      st.execute(
          "SET SESSION sql_mode = REPLACE(@@sql_mode, 'NO_BACKSLASH_ESCAPES', ''),"
              + " SESSION sql_log_off = ON, SESSION slow_query_log = OFF");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** The probed status: HEALTHY when {@code SELECT 1} works, RUNNING if only the process runs. */
  public synchronized ServiceStatus probe() {
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        if (probeConnection == null) {
          probeConnection = connect();
        }
        try (Statement st = probeConnection.createStatement()) {
          st.setQueryTimeout(5);
          st.execute("SELECT 1");
        }
        return ServiceStatus.HEALTHY;
      } catch (SQLException | RuntimeException e) {
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

  private static long size(Path log) {
    try {
      return Files.exists(log) ? Files.size(log) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** The server's {@code [ERROR]} lines written to its log since {@code from}, the last few. */
  static String serverErrors(Path log, long from) {
    List<String> errors = new ArrayList<>();
    try (var in = Files.newInputStream(log)) {
      in.skipNBytes(Math.min(from, Files.size(log)));
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
        int at = line.indexOf("[ERROR]");
        if (at >= 0) {
          errors.add(line.substring(at + 7).strip());
        }
      }
    } catch (IOException e) {
      return "";
    }
    return String.join("; ", errors.subList(Math.max(0, errors.size() - 3), errors.size()));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GuestError("interrupted", e);
    }
  }
}
