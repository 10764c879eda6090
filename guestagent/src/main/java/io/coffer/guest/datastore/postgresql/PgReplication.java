package io.coffer.guest.datastore.postgresql;

import io.coffer.guest.config.GuestConfig;
import io.coffer.guest.datastore.Command;
import io.coffer.guest.datastore.GuestError;
import io.coffer.model.secret.Secret;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * PostgreSQL streaming replication. A source keeps a {@code replicator} role and one physical
 * replication slot per replica (named after the replica); a replica is a hot standby made with
 * {@code pg_basebackup} from its source, following it through {@code primary_conninfo} and its
 * slot, and read-only until promoted. Positions ("transactions" in Trove's API) are WAL LSNs.
 *
 * <p>The members of a replication set share the admin role's password (it is part of the copied
 * catalog; a standby cannot change it), handed to replicas in the snapshot.
 */
@ApplicationScoped
public class PgReplication {

  static final String ROLE = "replicator";
  private static final Logger LOG = Logger.getLogger(PgReplication.class);
  private static final String PASSWORD_FILE = "replication.pw";
  private static final Duration CATCH_UP = Duration.ofSeconds(60);
  private static final Pattern CHECKPOINT =
      Pattern.compile("Latest checkpoint location:\\s+([0-9A-F]+/[0-9A-F]+)");

  private final PgServer server;
  private final GuestConfig config;

  PgReplication(PgServer server, GuestConfig config) {
    this.server = server;
    this.config = config;
  }

  /** The slot a replica uses on its source. */
  static String slotOf(String instanceId) {
    return "coffer_" + instanceId.replace('-', '_').toLowerCase();
  }

  /**
   * Makes this server a source a replica can copy and follow: the replication role exists with a
   * password this guest knows. Returns Trove's snapshot shape (no dataset is moved: the replica
   * copies the source directly).
   */
  public Map<String, Object> snapshot() {
    Secret password = ensureRole();
    Map<String, Object> dataset = new LinkedHashMap<>();
    dataset.put("datastore_manager", "postgresql");
    dataset.put("volume_size", config.volumeSize());
    dataset.put("snapshot_id", null);
    Map<String, Object> snapshot = new LinkedHashMap<>();
    snapshot.put("dataset", dataset);
    snapshot.put("replication_strategy", "PostgresqlReplicationStreaming");
    snapshot.putAll(context(password));
    return snapshot;
  }

  /** How a replica follows this server ({@code get_replica_context}). */
  public Map<String, Object> replicaContext() {
    return context(ensureRole());
  }

  private Map<String, Object> context(Secret password) {
    Map<String, Object> master = new LinkedHashMap<>();
    master.put("host", config.bindAddress());
    master.put("port", config.port());
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("name", ROLE);
    user.put("password", password.value());
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("log_position", Map.of());
    conf.put("replication_user", user);
    // Coffer: the replication set shares the admin role (see the class comment)
    conf.put("admin_password", server.adminPassword().value());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("master", master);
    out.put("replica_conf", conf);
    return out;
  }

  private Secret ensureRole() {
    Path file = server.home().resolve(PASSWORD_FILE);
    try (Connection c = server.connect("postgres")) {
      if (inRecovery(c)) {
        throw new GuestError("a replica cannot be a replication source", (Throwable) null);
      }
      boolean exists;
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
        ps.setString(1, ROLE);
        try (ResultSet rs = ps.executeQuery()) {
          exists = rs.next();
        }
      }
      if (exists && Files.exists(file)) {
        return new Secret(Files.readString(file, StandardCharsets.UTF_8).strip());
      }
      Secret password = server.newPassword();
      String sql =
          (exists ? "ALTER ROLE " : "CREATE ROLE ")
              + ROLE
              + " WITH REPLICATION LOGIN PASSWORD "
              + PgIdentifiers.literal(password);
      try (Statement st = c.createStatement()) {
        st.execute(sql);
      }
      writePassword(password);
      return password;
    } catch (SQLException | IOException e) {
      throw new GuestError("cannot set up the replication role: " + e.getMessage(), e);
    }
  }

  private void writePassword(Secret password) throws IOException {
    Path file = server.home().resolve(PASSWORD_FILE);
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, password.value(), StandardCharsets.UTF_8);
  }

  /** What a replica needs from a snapshot or replica context. */
  record Source(String host, int port, Secret replicationPassword, Secret adminPassword) {

    @SuppressWarnings("unchecked")
    static Source of(Map<String, Object> info) {
      Map<String, Object> master = (Map<String, Object>) info.get("master");
      Map<String, Object> conf = (Map<String, Object>) info.get("replica_conf");
      if (master == null || conf == null) {
        throw GuestError.badRequest("replication info without master or replica_conf");
      }
      Map<String, Object> user = (Map<String, Object>) conf.get("replication_user");
      Object admin = conf.get("admin_password");
      if (user == null || user.get("password") == null || admin == null) {
        throw GuestError.badRequest("replication info without credentials");
      }
      return new Source(
          String.valueOf(master.get("host")),
          ((Number) master.get("port")).intValue(),
          new Secret(String.valueOf(user.get("password"))),
          new Secret(String.valueOf(admin)));
    }

    String conninfo(String user, Secret password) {
      return "host="
          + host
          + " port="
          + port
          + " user="
          + user
          + " password="
          + password.value()
          + " application_name=coffer";
    }
  }

  /**
   * Builds this server as a hot standby of the snapshot's source: a base backup streamed from it
   * through a new replication slot, the standby settings written by {@code pg_basebackup -R}.
   */
  public void copyFrom(Map<String, Object> snapshot) throws IOException {
    Source source = Source.of(snapshot);
    server.createDirectories();
    Path pgdata = server.pgdata();
    if (Files.exists(pgdata)) {
      PgBackups.deleteTree(pgdata);
    }
    String slot = slotOf(config.instanceId());
    dropSlotOn(source, slot);
    long start = System.nanoTime();
    run(
        List.of(
            server.bin("pg_basebackup").toString(),
            "-h",
            source.host(),
            "-p",
            Integer.toString(source.port()),
            "-U",
            ROLE,
            "-w",
            "-D",
            pgdata.toString(),
            "-X",
            "stream",
            "-C",
            "-S",
            slot,
            "-R",
            "--checkpoint=fast",
            "--no-manifest"),
        source.replicationPassword(),
        config.restoreTimeout());
    Files.setPosixFilePermissions(pgdata, PosixFilePermissions.fromString("rwx------"));
    server.writeAdminPassword(source.adminPassword());
    writePassword(source.replicationPassword());
    LOG.infof(
        "replica copied from %s:%d in %d ms",
        source.host(), source.port(), Duration.ofNanos(System.nanoTime() - start).toMillis());
  }

  private void dropSlotOn(Source source, String slot) {
    // a slot left by an earlier attempt of this replica would make -C fail
    Command.Result r =
        runQuiet(
            List.of(
                server.bin("pg_receivewal").toString(),
                "-h",
                source.host(),
                "-p",
                Integer.toString(source.port()),
                "-U",
                ROLE,
                "-w",
                "--drop-slot",
                "-S",
                slot),
            source.replicationPassword());
    LOG.debugf("drop slot %s on the source: exit %d", slot, r.exit());
  }

  private void createSlotOn(Source source, String slot) {
    run(
        List.of(
            server.bin("pg_receivewal").toString(),
            "-h",
            source.host(),
            "-p",
            Integer.toString(source.port()),
            "-U",
            ROLE,
            "-w",
            "--create-slot",
            "--if-not-exists",
            "-S",
            slot),
        source.replicationPassword(),
        Duration.ofSeconds(60));
  }

  /** Stops following the source and opens for writes ({@code pg_promote}). */
  public void promote() {
    try (Connection c = server.connect("postgres")) {
      if (inRecovery(c)) {
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT pg_promote(true, 60)")) {
          rs.next();
          if (!rs.getBoolean(1)) {
            throw new GuestError("the replica did not finish promotion in 60 s", (Throwable) null);
          }
        }
      }
      try (Statement st = c.createStatement()) {
        st.execute("ALTER SYSTEM RESET primary_conninfo");
        st.execute("ALTER SYSTEM RESET primary_slot_name");
        st.execute("SELECT pg_reload_conf()");
      }
      LOG.info("promoted: no longer a replica");
    } catch (SQLException e) {
      throw new GuestError("promotion failed: " + e.getMessage(), e);
    }
  }

  /**
   * The newest WAL position of this server: written (a source), replayed (a replica), or, when the
   * server is stopped, its last checkpoint.
   */
  public String latestPosition() {
    if (!server.running()) {
      String out =
          Command.check(
              List.of(server.bin("pg_controldata").toString(), "-D", server.pgdata().toString()),
              server.home(),
              Duration.ofSeconds(30));
      Matcher m = CHECKPOINT.matcher(out);
      if (!m.find()) {
        throw new GuestError("pg_controldata shows no checkpoint location", (Throwable) null);
      }
      return m.group(1);
    }
    try (Connection c = server.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()"
                    + " ELSE pg_current_wal_lsn() END::text")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new GuestError("cannot read the WAL position: " + e.getMessage(), e);
    }
  }

  /** {@code [system identifier, replayed position in bytes]} of a replica. */
  public List<Object> lastReplayed() {
    try (Connection c = server.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT (SELECT system_identifier FROM pg_control_system())::text,"
                    + " pg_wal_lsn_diff(coalesce(pg_last_wal_replay_lsn(), pg_current_wal_lsn()),"
                    + " '0/0')::bigint")) {
      rs.next();
      List<Object> out = new ArrayList<>();
      out.add(rs.getString(1));
      out.add(rs.getLong(2));
      return out;
    } catch (SQLException e) {
      throw new GuestError("cannot read the replay position: " + e.getMessage(), e);
    }
  }

  /** Waits until this replica replayed up to {@code lsn}. */
  public void waitFor(String lsn) {
    long deadline = System.nanoTime() + CATCH_UP.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try (Connection c = server.connect("postgres");
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), ?::pg_lsn) >= 0,"
                      + " pg_last_wal_replay_lsn()::text")) {
        ps.setString(1, lsn);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (rs.getBoolean(1)) {
            return;
          }
          last = rs.getString(2);
        }
      } catch (SQLException e) {
        last = e.getMessage();
      }
      sleep(100);
    }
    throw new GuestError(
        "the replica did not replay up to "
            + lsn
            + " within "
            + CATCH_UP.toSeconds()
            + " s ("
            + last
            + ")",
        (Throwable) null);
  }

  /** Stops (read-only) or starts (read-write) this server. */
  public void readOnly(boolean readOnly) {
    if (readOnly) {
      // a cleanly stopped server has sent all of its WAL to the replicas connected to it: nothing
      // is lost, once every replica is connected (one that restarted a moment ago reconnects)
      awaitReplicasStreaming(Duration.ofSeconds(30));
      server.stop();
    } else {
      server.start();
    }
  }

  /**
   * Waits until every replica's slot on this server has its replica connected, up to {@code
   * timeout} (a replica that is gone for good does not hold the switchover longer).
   */
  private void awaitReplicasStreaming(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    long waiting = -1;
    while (System.nanoTime() < end) {
      try (Connection c = server.connect("postgres");
          Statement st = c.createStatement();
          java.sql.ResultSet rs =
              st.executeQuery(
                  "SELECT count(*) FROM pg_replication_slots WHERE slot_type = 'physical'"
                      + " AND NOT active")) {
        rs.next();
        waiting = rs.getLong(1);
        if (waiting == 0) {
          return;
        }
      } catch (SQLException e) {
        LOG.debugf("replication slots not read: %s", e.getMessage());
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    LOG.warnf(
        "%d replica(s) not connected after %d s; stopping anyway", waiting, timeout.toSeconds());
  }

  /**
   * Follows another source: a slot there, the connection settings here, and, for a former source
   * that was stopped, a rewind onto the new source's history before it starts as a standby.
   */
  public void attach(Map<String, Object> replicaInfo, boolean restart) throws IOException {
    Source source = Source.of(replicaInfo);
    String slot = slotOf(config.instanceId());
    createSlotOn(source, slot);
    String conninfo = source.conninfo(ROLE, source.replicationPassword());
    writePassword(source.replicationPassword());
    if (server.running()) {
      try (Connection c = server.connect("postgres")) {
        if (!inRecovery(c)) {
          // a source becoming a replica: stop it first
          server.stop();
        } else {
          try (Statement st = c.createStatement()) {
            st.execute("ALTER SYSTEM SET primary_conninfo = " + PgIdentifiers.literal(conninfo));
            st.execute("ALTER SYSTEM SET primary_slot_name = " + PgIdentifiers.literal(slot));
            st.execute("SELECT pg_reload_conf()");
          }
          if (restart) {
            server.restart();
          }
          LOG.infof("now following %s:%d", source.host(), source.port());
          return;
        }
      } catch (SQLException e) {
        throw new GuestError("cannot follow the new source: " + e.getMessage(), e);
      }
    }
    // pg_rewind copies the source's configuration files too (its address among them): this
    // server keeps its own
    Map<Path, byte[]> own = ownConfiguration();
    rewind(source);
    for (Map.Entry<Path, byte[]> f : own.entrySet()) {
      Files.write(f.getKey(), f.getValue());
    }
    writeStandbySettings(conninfo, slot);
    server.start();
    dropLocalSlots();
    LOG.infof("former source now follows %s:%d", source.host(), source.port());
  }

  /** The server's configuration files in its data directory, but the auto-configuration. */
  private Map<Path, byte[]> ownConfiguration() throws IOException {
    Map<Path, byte[]> out = new java.util.LinkedHashMap<>();
    try (java.util.stream.Stream<Path> files = Files.list(server.pgdata())) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".conf")
            && !name.equals("postgresql.auto.conf")
            && Files.isRegularFile(f)) {
          out.put(f, Files.readAllBytes(f));
        }
      }
    }
    return out;
  }

  private void rewind(Source source) {
    Command.Result r =
        runQuiet(
            List.of(
                server.bin("pg_rewind").toString(),
                "--target-pgdata=" + server.pgdata(),
                "--source-server="
                    + source.conninfo(server.adminRole(), source.adminPassword())
                    + " dbname=postgres"),
            null);
    if (r.exit() != 0) {
      throw new GuestError("pg_rewind failed: " + tail(r.output()), (Throwable) null);
    }
    LOG.infof("pg_rewind: %s", tail(r.output()));
  }

  private void writeStandbySettings(String conninfo, String slot) throws IOException {
    Path auto = server.pgdata().resolve("postgresql.auto.conf");
    List<String> kept = new ArrayList<>();
    if (Files.exists(auto)) {
      for (String line : Files.readAllLines(auto, StandardCharsets.UTF_8)) {
        String t = line.strip();
        if (!t.startsWith("primary_conninfo") && !t.startsWith("primary_slot_name")) {
          kept.add(line);
        }
      }
    }
    kept.add("primary_conninfo = " + PgIdentifiers.literal(conninfo));
    kept.add("primary_slot_name = " + PgIdentifiers.literal(slot));
    Files.write(auto, kept, StandardCharsets.UTF_8);
    Files.writeString(server.pgdata().resolve("standby.signal"), "");
  }

  /** Drops the replication slots this server no longer serves. */
  public void dropLocalSlots() {
    try (Connection c = server.connect("postgres");
        Statement st = c.createStatement()) {
      st.execute(
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE NOT active");
    } catch (SQLException e) {
      LOG.warnf("replication slots not dropped: %s", e.getMessage());
    }
  }

  /** Drops the slot of a replica that left (ending its connection if it still has one). */
  public void dropSlot(String replicaId) {
    String slot = slotOf(replicaId);
    try (Connection c = server.connect("postgres")) {
      for (int attempt = 0; attempt < 50; attempt++) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT active, active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
          ps.setString(1, slot);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return;
            }
            if (!rs.getBoolean(1)) {
              break;
            }
            try (PreparedStatement kill = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
              kill.setInt(1, rs.getInt(2));
              kill.execute();
            }
          }
        }
        sleep(100);
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
        ps.setString(1, slot);
        ps.execute();
      }
      LOG.infof("replication slot %s dropped", slot);
    } catch (SQLException e) {
      throw new GuestError("cannot drop replication slot " + slot + ": " + e.getMessage(), e);
    }
  }

  private static boolean inRecovery(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private void run(List<String> cmd, Secret password, Duration timeout) {
    Command.Result r = runWith(cmd, password, timeout);
    if (r.exit() != 0) {
      throw new GuestError(
          Path.of(cmd.get(0)).getFileName() + " failed: " + tail(r.output()), (Throwable) null);
    }
  }

  private Command.Result runQuiet(List<String> cmd, Secret password) {
    return runWith(cmd, password, Duration.ofSeconds(300));
  }

  /** Runs a client program; the password goes through the environment, never the command line. */
  private Command.Result runWith(List<String> cmd, Secret password, Duration timeout) {
    Path log = null;
    try {
      log = Files.createTempFile(server.home().resolve("logs"), "replication", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(server.home().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      if (password != null) {
        pb.environment().put("PGPASSWORD", password.value());
      }
      pb.environment().put("PGCONNECT_TIMEOUT", "10");
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new GuestError(
            cmd.get(0) + " did not finish within " + timeout.toSeconds() + " s", (Throwable) null);
      }
      return new Command.Result(p.exitValue(), Files.readString(log));
    } catch (IOException e) {
      throw new GuestError("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GuestError("interrupted", e);
    } finally {
      if (log != null) {
        try {
          Files.deleteIfExists(log);
        } catch (IOException e) {
          LOG.debugf("cannot delete %s", log);
        }
      }
    }
  }

  private static String tail(String s) {
    String t = s.strip();
    return t.length() > 1000 ? t.substring(t.length() - 1000) : t;
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
