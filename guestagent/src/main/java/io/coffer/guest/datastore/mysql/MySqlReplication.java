package io.coffer.guest.datastore.mysql;

import io.coffer.guest.backup.BackupStore;
import io.coffer.guest.config.GuestConfig;
import io.coffer.guest.datastore.GuestError;
import io.coffer.guest.datastore.ReplicationAgent;
import io.coffer.guest.datastore.SecretFile;
import io.coffer.model.common.RestoreInfo;
import io.coffer.model.secret.Secret;
import io.coffer.storage.BackupStorage;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * MariaDB replication with global transaction ids: a replica starts from a {@code mariadb-backup}
 * snapshot of its source (put in the backup storage by the source's guest, removed by the replica's
 * once restored) at the snapshot's GTID position, then follows the source's binary log and is
 * read-only. Switchover and failover re-point the members with {@code MASTER_USE_GTID=current_pos}.
 *
 * <p>The replication account {@code coffer_repl}@'%' is created on the first source and reaches its
 * replicas through the binary log; its password travels in the snapshot and replica context (over
 * the protected bus), and each member keeps it in a private file, so a promoted replica can hand it
 * on.
 */
@ApplicationScoped
public class MySqlReplication implements ReplicationAgent {

  static final String USER = "coffer_repl";
  private static final String PASSWORD_FILE = "replication.pw";
  private static final Logger LOG = Logger.getLogger(MySqlReplication.class);

  private final MySqlServer server;
  private final MySqlBackups backups;
  private final BackupStore store;
  private final GuestConfig config;

  MySqlReplication(
      MySqlServer server, MySqlBackups backups, BackupStore store, GuestConfig config) {
    this.server = server;
    this.backups = backups;
    this.store = store;
    this.config = config;
  }

  @Override
  public Map<String, Object> replicationSnapshot() {
    Secret password = ensureUser();
    String snapshotId = UUID.randomUUID().toString();
    BackupStorage.Stored stored;
    try {
      stored = backups.full(null, snapshotId);
    } catch (IOException e) {
      throw new GuestError("cannot take the replication snapshot: " + e.getMessage(), e);
    }
    Map<String, Object> dataset = new LinkedHashMap<>();
    dataset.put("datastore_manager", config.datastoreManager());
    dataset.put("volume_size", config.volumeSize());
    dataset.put("snapshot_id", snapshotId);
    dataset.put("location", stored.location());
    dataset.put("checksum", stored.checksum());
    Map<String, Object> snapshot = new LinkedHashMap<>();
    snapshot.put("dataset", dataset);
    snapshot.put("replication_strategy", "MariaDBGTIDReplication");
    snapshot.putAll(context(password));
    LOG.infof("replication snapshot %s taken (%d bytes)", snapshotId, stored.bytes());
    return snapshot;
  }

  @Override
  public Map<String, Object> replicaContext() {
    return context(ensureUser());
  }

  private Map<String, Object> context(Secret password) {
    Map<String, Object> master = new LinkedHashMap<>();
    master.put("host", config.bindAddress());
    master.put("port", config.port());
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("name", USER);
    user.put("password", password.value());
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("log_position", Map.of());
    conf.put("replication_user", user);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("master", master);
    out.put("replica_conf", conf);
    return out;
  }

  /** The replication account with a password this guest knows (created when missing). */
  private Secret ensureUser() {
    Optional<Secret> known = knownPassword();
    try (Connection c = server.connect()) {
      boolean exists;
      try (PreparedStatement ps =
          c.prepareStatement("SELECT 1 FROM mysql.global_priv WHERE User = ? AND Host = '%'")) {
        ps.setString(1, USER);
        try (ResultSet rs = ps.executeQuery()) {
          exists = rs.next();
        }
      }
      if (exists && known.isPresent()) {
        return known.get();
      }
      Secret password = known.orElseGet(server::newPassword);
      String account = MySqlIdentifiers.account(USER, "%");
      try (Statement st = c.createStatement()) {
        // logged: the replicas get the account, and a promoted one can hand it on
        st.execute(
            "CREATE USER IF NOT EXISTS "
                + account
                + " IDENTIFIED BY "
                + MySqlIdentifiers.literal(password));
        st.execute(
            "ALTER USER " + account + " IDENTIFIED BY " + MySqlIdentifiers.literal(password));
        st.execute("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO " + account);
      } catch (SQLException e) {
        throw new SQLException("cannot create the replication account (" + e.getErrorCode() + ")");
      }
      keepPassword(password);
      return password;
    } catch (SQLException | IOException e) {
      throw new GuestError("cannot prepare the replication account: " + e.getMessage(), e);
    }
  }

  private Optional<Secret> knownPassword() {
    try {
      return SecretFile.read(server.home().resolve(PASSWORD_FILE));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private void keepPassword(Secret password) throws IOException {
    SecretFile.write(server.home().resolve(PASSWORD_FILE), password);
  }

  /** What a replica needs from a snapshot or replica context. */
  private record Source(String host, int port, Secret password) {
    @SuppressWarnings("unchecked")
    static Source of(Map<String, Object> info) {
      try {
        Map<String, Object> master = (Map<String, Object>) info.get("master");
        Map<String, Object> conf = (Map<String, Object>) info.get("replica_conf");
        Map<String, Object> user = (Map<String, Object>) conf.get("replication_user");
        return new Source(
            String.valueOf(master.get("host")),
            ((Number) master.get("port")).intValue(),
            new Secret(String.valueOf(user.get("password"))));
      } catch (ClassCastException | NullPointerException e) {
        throw GuestError.badRequest("the replication source is not described completely");
      }
    }
  }

  /**
   * Builds this server from the snapshot (the server must be stopped, its directories made) and
   * returns the GTID position to start following from.
   */
  @SuppressWarnings("unchecked")
  public String restoreSnapshot(Map<String, Object> snapshot) throws IOException {
    Map<String, Object> dataset = (Map<String, Object>) snapshot.get("dataset");
    if (dataset == null || dataset.get("location") == null) {
      throw GuestError.badRequest("the replication snapshot names no backup");
    }
    String location = String.valueOf(dataset.get("location"));
    Object checksum = dataset.get("checksum");
    Optional<String> gtid =
        backups.restore(
            new RestoreInfo(
                String.valueOf(dataset.get("snapshot_id")),
                null,
                location,
                "full",
                checksum == null ? null : checksum.toString()));
    try {
      store.get().delete(null, String.valueOf(dataset.get("snapshot_id")));
    } catch (IOException | RuntimeException e) {
      LOG.warnf("the replication snapshot was not removed: %s", e.getMessage());
    }
    return gtid.orElse("");
  }

  /** Starts following the snapshot's source from {@code gtid} (after the server started). */
  public void follow(Map<String, Object> snapshot, String gtid) {
    Source source = Source.of(snapshot);
    try (Connection c = server.connect();
        Statement st = c.createStatement()) {
      st.execute("SET GLOBAL gtid_slave_pos = " + MySqlIdentifiers.literal(gtid));
      changeMaster(st, source, "slave_pos");
      st.execute("START SLAVE");
      st.execute("SET GLOBAL read_only = ON");
      keepPassword(source.password());
      server.writeReadOnly(true);
      LOG.infof("following %s:%d from GTID %s", source.host(), source.port(), gtid);
    } catch (SQLException | IOException e) {
      throw new GuestError("cannot follow the source: " + e.getMessage(), e);
    }
  }

  private static void changeMaster(Statement st, Source source, String usePosition)
      throws SQLException {
    try {
      st.execute(
          "CHANGE MASTER TO MASTER_HOST = "
              + MySqlIdentifiers.literal(source.host())
              + ", MASTER_PORT = "
              + source.port()
              + ", MASTER_USER = "
              + MySqlIdentifiers.literal(USER)
              + ", MASTER_PASSWORD = "
              + MySqlIdentifiers.literal(source.password())
              + ", MASTER_CONNECT_RETRY = 2, MASTER_USE_GTID = "
              + usePosition);
    } catch (SQLException e) {
      throw new SQLException("CHANGE MASTER failed (" + e.getErrorCode() + ")");
    }
  }

  @Override
  public void attachReplica(Map<String, Object> replicaInfo, boolean restart) {
    Source source = Source.of(replicaInfo);
    try (Connection c = server.connect();
        Statement st = c.createStatement()) {
      st.execute("SET GLOBAL read_only = ON");
      server.writeReadOnly(true);
      st.execute("STOP SLAVE");
      // a former source continues from what it wrote itself; a replica from what it replayed
      changeMaster(st, source, "current_pos");
      st.execute("START SLAVE");
      keepPassword(source.password());
      LOG.infof("now following %s:%d", source.host(), source.port());
    } catch (SQLException | IOException e) {
      throw new GuestError("cannot follow the new source: " + e.getMessage(), e);
    }
  }

  @Override
  public void detachReplica(boolean forFailover) {
    try (Connection c = server.connect();
        Statement st = c.createStatement()) {
      st.execute("STOP SLAVE");
      st.execute("RESET SLAVE ALL");
      st.execute("SET GLOBAL read_only = OFF");
      server.writeReadOnly(false);
      LOG.info("replication stopped: the server is writable");
    } catch (SQLException | IOException e) {
      throw new GuestError("cannot stop following the source: " + e.getMessage(), e);
    }
  }

  @Override
  public void makeReadOnly(boolean readOnly) {
    try (Connection c = server.connect();
        Statement st = c.createStatement()) {
      st.execute("SET GLOBAL read_only = " + (readOnly ? "ON" : "OFF"));
      if (readOnly) {
        // sessions that began writing finish, new writes are refused
        st.execute("FLUSH TABLES WITH READ LOCK");
        st.execute("UNLOCK TABLES");
      }
      server.writeReadOnly(readOnly);
    } catch (SQLException | IOException e) {
      throw new GuestError("cannot change read-only: " + e.getMessage(), e);
    }
  }

  @Override
  public void enableAsMaster() {
    ensureUser();
  }

  @Override
  public void demoteReplicationMaster() {
    // a MariaDB source keeps nothing per replica (its binary log serves them all)
  }

  @Override
  public String latestTxnId() {
    return query("SELECT @@GLOBAL.gtid_binlog_pos");
  }

  @Override
  public List<Object> lastTxn() {
    String pos = query("SELECT @@GLOBAL.gtid_slave_pos");
    // domain-server-sequence; the replicas of one source share the domain
    for (String gtid : pos.split(",")) {
      String[] parts = gtid.strip().split("-");
      if (parts.length == 3) {
        return List.of("domain " + parts[0], Long.parseLong(parts[2]));
      }
    }
    return List.of("domain 0", 0L);
  }

  @Override
  public void waitForTxn(String txn) {
    try (Connection c = server.connect();
        PreparedStatement ps = c.prepareStatement("SELECT MASTER_GTID_WAIT(?, ?)")) {
      ps.setString(1, txn);
      ps.setInt(2, 120);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getInt(1) != 0) {
          throw new GuestError(
              "the replica did not reach " + txn + " within 120 s", (Throwable) null);
        }
      }
    } catch (SQLException e) {
      throw new GuestError("cannot wait for " + txn + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void cleanupSourceOnReplicaDetach(Map<String, Object> replicaInfo) {
    // nothing is kept per replica on a MariaDB source
  }

  private String query(String sql) {
    try (Connection c = server.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      String v = rs.getString(1);
      return v == null ? "" : v;
    } catch (SQLException e) {
      throw new GuestError("cannot read the replication position: " + e.getMessage(), e);
    }
  }
}
