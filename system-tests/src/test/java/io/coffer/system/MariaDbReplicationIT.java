package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * MariaDB replication with real rows: replicas seeded from a mariadb-backup snapshot follow their
 * source by GTID and refuse writes, a detached replica takes writes, a switchover after which the
 * former source follows, and a failover (eject) after the source died.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbReplicationIT {

  private static final Duration READY = Duration.ofSeconds(120);
  private static final Tenant TENANT = new Tenant();
  private static final String PW = "orders-Secret1";
  private static final List<String> CREATED = new ArrayList<>();
  private static String source;
  private static String detached;
  private static String promoted;

  @BeforeAll
  static void sourceWithRows() throws SQLException {
    Suite.start();
    source =
        TENANT.createInstance(
            "\"name\": \"orders\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1},"
                + " \"datastore\": {\"type\": \"mariadb\", \"version\": \"10.11\"},"
                + " \"databases\": [{\"name\": \"orders\"}], \"users\": [{\"name\": \"app\","
                + " \"password\": \""
                + PW
                + "\", \"databases\": [{\"name\": \"orders\"}]}]");
    CREATED.add(source);
    TENANT.await(source, "ACTIVE", READY);
    try (Connection c = connect(source);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id int PRIMARY KEY, note varchar(20))");
    }
    insert(source, 1, 100);
  }

  @AfterAll
  static void cleanUp() {
    for (String id : CREATED) {
      TENANT.as().delete(TENANT.path("instances/" + id));
    }
  }

  private static String ip(String id) {
    return TENANT.show(id).getString("instance.ip[0]");
  }

  private static Connection connect(String id) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mariadb://" + ip(id) + ":3306/orders?connectTimeout=5000", "app", PW);
  }

  private static void insert(String id, int from, int to) throws SQLException {
    try (Connection c = connect(id);
        Statement st = c.createStatement()) {
      st.execute("INSERT INTO orders SELECT seq, concat('n', seq) FROM seq_" + from + "_to_" + to);
    }
  }

  private static int count(String id) throws SQLException {
    try (Connection c = connect(id);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM orders")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void awaitRows(String id, int rows) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptions()
        .until(() -> count(id) == rows);
  }

  private static List<String> replicasOf(String id) {
    return TENANT.show(id).getList("instance.replicas.id", String.class);
  }

  private static void action(String id, String name) {
    TENANT
        .as()
        .body("{\"" + name + "\": {}}")
        .post(TENANT.path("instances/" + id + "/action"))
        .then()
        .statusCode(202);
  }

  @Test
  @Order(1)
  void twoReplicasFollowTheSourceAndRefuseWrites() throws SQLException {
    long start = System.nanoTime();
    TENANT
        .as()
        .body(
            "{\"instance\": {\"name\": \"orders-replica\", \"replica_of\": \""
                + source
                + "\", \"replica_count\": 2}}")
        .post(TENANT.path("instances"))
        .then()
        .statusCode(200);
    List<String> replicas = replicasOf(source);
    assertThat(replicas).hasSize(2);
    CREATED.addAll(replicas);
    for (String r : replicas) {
      JsonPath shown = TENANT.await(r, "ACTIVE", READY);
      assertThat(shown.getString("instance.replica_of.id")).isEqualTo(source);
    }
    System.out.printf(
        "mariadb: 2 replicas ACTIVE in %d ms%n",
        Duration.ofNanos(System.nanoTime() - start).toMillis());
    for (String r : replicas) {
      assertThat(count(r)).isEqualTo(100);
    }
    insert(source, 101, 250);
    for (String r : replicas) {
      awaitRows(r, 250);
      assertThatThrownBy(() -> insert(r, 1000, 1000)).hasMessageContaining("read-only");
    }
    detached = replicas.get(0);
    promoted = replicas.get(1);
  }

  @Test
  @Order(2)
  void aDetachedReplicaTakesWritesAndNoLongerFollows() throws SQLException {
    TENANT
        .as()
        .body("{\"instance\": {\"replica_of\": \"\"}}")
        .put(TENANT.path("instances/" + detached))
        .then()
        .statusCode(202);
    await()
        .atMost(READY)
        .until(() -> TENANT.show(detached).getString("instance.replica_of") == null);
    TENANT.await(detached, "ACTIVE", READY);
    insert(detached, 5001, 5010);
    assertThat(count(detached)).isEqualTo(260);
    insert(source, 251, 300);
    awaitRows(promoted, 300);
    assertThat(count(detached)).isEqualTo(260);
  }

  @Test
  @Order(3)
  void promotingAReplicaMakesTheFormerSourceFollowIt() throws SQLException {
    long start = System.nanoTime();
    action(promoted, "promote_to_replica_source");
    await()
        .atMost(READY)
        .until(() -> TENANT.show(promoted).getString("instance.replica_of") == null);
    TENANT.await(promoted, "ACTIVE", READY);
    TENANT.await(source, "ACTIVE", READY);
    System.out.printf(
        "mariadb switchover: %d ms%n", Duration.ofNanos(System.nanoTime() - start).toMillis());
    assertThat(TENANT.show(source).getString("instance.replica_of.id")).isEqualTo(promoted);
    assertThat(count(promoted)).isEqualTo(300);
    insert(promoted, 301, 400);
    awaitRows(source, 400);
    assertThatThrownBy(() -> insert(source, 2000, 2000)).hasMessageContaining("read-only");
  }

  @Test
  @Order(4)
  void ejectingADeadSourceMakesTheReplicaTheSource() throws SQLException {
    insert(promoted, 401, 450);
    awaitRows(source, 450);
    Suite.killDatabase(promoted);
    Suite.killGuest(promoted);
    await()
        .atMost(Suite.HEARTBEAT_EXPIRY.plusSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                TENANT
                        .as()
                        .body("{\"eject_replica_source\": {}}")
                        .post(TENANT.path("instances/" + promoted + "/action"))
                        .statusCode()
                    == 202);
    await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> TENANT.show(source).getString("instance.replica_of") == null);
    TENANT.await(source, "ACTIVE", READY);
    assertThat(count(source)).isEqualTo(450);
    insert(source, 451, 460);
    assertThat(count(source)).isEqualTo(460);
  }
}
