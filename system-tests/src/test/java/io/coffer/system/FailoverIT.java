package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.coffer.testing.Db;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Automatic failover on real PostgreSQL servers, measured as CloudNativePG measures it: a writer
 * commits timestamped rows through a multi-host connection string while the source's whole server
 * (guest agent and database) is killed; a replica takes over, the other follows it, and the former
 * source, fenced, comes back as a replica that refuses writes. A source whose guest is merely
 * stopped (SIGSTOP) while its database serves is not failed over.
 */
class FailoverIT {

  private static final Duration EXPIRY = Duration.ofSeconds(4);
  private static final Duration READY = Duration.ofSeconds(120);
  private static final Tenant TENANT = new Tenant();
  private static final String PASSWORD = "shop-Secret1";

  @BeforeAll
  static void fastChecks() {
    Suite.start();
    Suite.reconfigure(
        "taskmanager-service",
        Map.of(
            "coffer.taskmanager.failover.expiry",
            EXPIRY.toSeconds() + "s",
            "coffer.taskmanager.failover.check",
            "1s"));
  }

  @AfterAll
  static void restore() {
    Suite.restore("taskmanager-service");
  }

  private static String ip(String id) {
    return TENANT.await(id, "ACTIVE", READY).getString("instance.ip[0]");
  }

  private static Connection connect(String hosts) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://"
            + hosts
            + "/shop?targetServerType=primary&connectTimeout=2&socketTimeout=3&loginTimeout=3",
        "shop",
        PASSWORD);
  }

  private static List<String> replicasOf(String source) {
    return TENANT.show(source).getList("instance.replicas.id");
  }

  /** Kills the instance's server as a machine dies: guest agent and database, no shutdown. */
  private static void killServer(String id) throws Exception {
    Suite.signalGuest(id, "KILL");
    String pid =
        Files.readAllLines(Suite.INSTANCES.resolve(id).resolve("data").resolve("postmaster.pid"))
            .get(0)
            .trim();
    // the postmaster leads a session of its own, its backends in its group
    new ProcessBuilder("kill", "-KILL", "--", "-" + pid).start().waitFor();
  }

  /** An acknowledged row: its id, the server that committed it and when (the writer's clock). */
  private record Ack(long id, String server, Instant at) {}

  @Test
  void aDeadSourceIsReplacedByItsMostAdvancedReplicaAndComesBackAsAReplica() throws Exception {
    long missing = failOver("failover", null, true);
    assertThat(missing).isLessThan(1000);
  }

  @Test
  void withSynchronousReplicationNoAcknowledgedCommitIsLost() throws Exception {
    String pg =
        (String)
            Db.value(
                "SELECT v.id FROM datastore_versions v JOIN datastores d ON d.id = v.datastore_id"
                    + " WHERE d.name = 'postgresql' AND v.name = '15'");
    io.coffer.testing.Datastores.rule(pg, "synchronous_standby_names", "string", false, null, null);
    String group =
        TENANT
            .as()
            .body(
                "{\"configuration\": {\"name\": \"sync\", \"datastore\": {\"type\":"
                    + " \"postgresql\", \"version\": \"15\"}, \"values\":"
                    + " {\"synchronous_standby_names\": \"ANY 1 (*)\"}}}")
            .post(TENANT.path("configurations"))
            .then()
            .statusCode(200)
            .extract()
            .path("configuration.id");
    assertThat(failOver("failover-sync", group, false)).isZero();
  }

  /**
   * Creates a source (with {@code configuration}, if given) and two replicas, kills the source
   * under a writer, checks the failover; returns how many acknowledged rows are missing.
   */
  private long failOver(String name, String configuration, boolean stuckGuestFirst)
      throws Exception {
    String source =
        TENANT.createInstance(
            "\"name\": \""
                + name
                + "\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1},"
                + " \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"},"
                + " \"auto_failover\": true, \"databases\": [{\"name\": \"shop\"}], \"users\":"
                + " [{\"name\": \"shop\", \"password\": \""
                + PASSWORD
                + "\", \"databases\": [{\"name\": \"shop\"}]}]");
    String sourceIp = ip(source);
    assertThat(TENANT.show(source).getBoolean("instance.auto_failover")).isTrue();
    try (Connection c = connect(sourceIp + ":5432");
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE ticks (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT"
              + " clock_timestamp(), server inet DEFAULT inet_server_addr())");
    }
    TENANT
        .as()
        .body(
            "{\"instance\": {\"name\": \"failover-replica\", \"replica_of\": \""
                + source
                + "\", \"replica_count\": 2}}")
        .post(TENANT.path("instances"))
        .then()
        .statusCode(200);
    List<String> replicas = replicasOf(source);
    assertThat(replicas).hasSize(2);
    List<String> ips = new ArrayList<>(List.of(sourceIp));
    for (String r : replicas) {
      ips.add(ip(r));
    }
    String hosts = String.join(",", ips.stream().map(a -> a + ":5432").toList());
    if (configuration != null) {
      // on all three (a commit waits for a replica, so not before they exist), live
      for (String id : List.of(source, replicas.get(0), replicas.get(1))) {
        TENANT
            .as()
            .body("{\"instance\": {\"configuration\": \"" + configuration + "\"}}")
            .put(TENANT.path("instances/" + id))
            .then()
            .statusCode(202);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                try (Connection c = connect(sourceIp + ":5432");
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SHOW synchronous_standby_names")) {
                  rs.next();
                  return rs.getString(1).startsWith("ANY 1");
                }
              });
    }

    if (stuckGuestFirst) {
      stuckGuest(source, sourceIp);
    }

    // the writer
    List<Ack> acks = new CopyOnWriteArrayList<>();
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer =
        new Thread(
            () -> {
              while (writing.get()) {
                try (Connection c = connect(hosts);
                    Statement st = c.createStatement()) {
                  while (writing.get()) {
                    try (ResultSet rs =
                        st.executeQuery(
                            "INSERT INTO ticks DEFAULT VALUES RETURNING id, host(server)")) {
                      rs.next();
                      acks.add(new Ack(rs.getLong(1), rs.getString(2), Instant.now()));
                    }
                    Thread.sleep(20);
                  }
                } catch (SQLException e) {
                  sleepQuietly(100);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    writer.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> acks.size() >= 50);
    killServer(source);
    Instant killed = Instant.now();

    // a replica takes over
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> acks.stream().anyMatch(a -> !a.server().equals(sourceIp)));
    writing.set(false);
    writer.join(10_000);
    Ack lastOld =
        acks.stream().filter(a -> a.server().equals(sourceIp)).reduce((x, y) -> y).orElseThrow();
    Ack firstNew =
        acks.stream().filter(a -> !a.server().equals(sourceIp)).findFirst().orElseThrow();
    long gapMs = Duration.between(lastOld.at(), firstNew.at()).toMillis();
    String newSource = null;
    for (String r : replicas) {
      if (ips.get(replicas.indexOf(r) + 1).equals(firstNew.server())) {
        newSource = r;
      }
    }
    assertThat(newSource).isNotNull();
    String other = replicas.get(0).equals(newSource) ? replicas.get(1) : replicas.get(0);
    String otherIp = ips.get(replicas.indexOf(other) + 1);

    // acknowledged rows missing on the new source (asynchronous replication: may be a few)
    List<Long> present = new ArrayList<>();
    try (Connection c = connect(firstNew.server() + ":5432");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id FROM ticks")) {
      while (rs.next()) {
        present.add(rs.getLong(1));
      }
    }
    long missing = acks.stream().filter(a -> !present.contains(a.id())).count();
    System.out.printf(
        "failover: last commit on the old source to the first on the new one %d ms"
            + " (kill at +%d ms after the last old commit); %d of %d acknowledged rows missing"
            + " (%s replication)%n",
        gapMs,
        Duration.between(lastOld.at(), killed).toMillis(),
        missing,
        acks.size(),
        configuration == null ? "asynchronous" : "synchronous");
    assertThat(gapMs).isLessThan(30_000);

    String promoted = newSource;
    JsonPath shown = TENANT.await(promoted, "ACTIVE", READY);
    assertThat(shown.getString("instance.replica_of")).isNull();
    assertThat(shown.getString("instance.fault.message")).contains("Automatic failover");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> promoted.equals(TENANT.show(other).getString("instance.replica_of.id")));
    // the other replica follows the new source: a row written there arrives
    long probe;
    try (Connection c = connect(firstNew.server() + ":5432");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("INSERT INTO ticks DEFAULT VALUES RETURNING id")) {
      rs.next();
      probe = rs.getLong(1);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> hasRow(otherIp, probe));

    // the former source, fenced, is back as a replica of the new one and refuses writes
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              JsonPath s = TENANT.show(source);
              return promoted.equals(s.getString("instance.replica_of.id"))
                  && "ACTIVE".equals(s.getString("instance.status"));
            });
    // unfenced once it follows: its guest may start its database by itself again
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !(Boolean) Db.value("SELECT fenced FROM instances WHERE id = ?", source));
    await().atMost(Duration.ofSeconds(30)).until(() -> hasRow(sourceIp, probe));
    assertThatThrownBy(
            () -> {
              try (Connection c =
                      DriverManager.getConnection(
                          "jdbc:postgresql://" + sourceIp + ":5432/shop", "shop", PASSWORD);
                  Statement st = c.createStatement()) {
                st.execute("INSERT INTO ticks DEFAULT VALUES");
              }
            })
        .hasMessageContaining("read-only");

    for (String id : List.of(other, source, promoted)) {
      TENANT.as().delete(TENANT.path("instances/" + id));
    }
    return missing;
  }

  /** A stuck guest (SIGSTOP) on a source whose database serves: no failover. */
  private static void stuckGuest(String source, String sourceIp) throws Exception {
    Suite.signalGuest(source, "STOP");
    try {
      Thread.sleep(EXPIRY.toMillis() + 5000);
      assertThat(
              ((Number)
                      Db.value(
                          "SELECT count(*) FROM instances WHERE slave_of_id = ? AND NOT deleted",
                          source))
                  .longValue())
          .isEqualTo(2);
      try (Connection c = connect(sourceIp + ":5432");
          Statement st = c.createStatement()) {
        st.execute("INSERT INTO ticks DEFAULT VALUES");
      }
    } finally {
      Suite.signalGuest(source, "CONT");
    }
    TENANT.await(source, "ACTIVE", READY);
  }

  private static boolean hasRow(String ip, long id) {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + ip + ":5432/shop?connectTimeout=2", "shop", PASSWORD);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM ticks WHERE id = " + id)) {
      rs.next();
      return rs.getLong(1) == 1;
    } catch (SQLException e) {
      return false;
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
