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
 * PostgreSQL streaming replication through the API, with real data: replicas that follow and refuse
 * writes, a detached replica that takes writes, a switchover after which the former source follows
 * the new one, and a failover from a killed source.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicationIT {

  private static final Duration READY = Duration.ofSeconds(90);
  private static final Duration REPLAY = Duration.ofSeconds(30);
  private static final Tenant TENANT = new Tenant();
  private static final String PASSWORD = "repl-Secret1";
  private static final List<String> CREATED = new ArrayList<>();
  private static String source;
  private static String detached;
  private static String promoted;

  @BeforeAll
  static void sourceWithRows() throws SQLException {
    Suite.start();
    source =
        TENANT
            .as()
            .body(
                "{\"instance\": {\"name\": \"orders\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1},"
                    + " \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"},"
                    + " \"databases\": [{\"name\": \"app\"}], \"users\": [{\"name\": \"app\","
                    + " \"password\": \""
                    + PASSWORD
                    + "\", \"databases\": [{\"name\": \"app\"}]}]}}")
            .post(TENANT.path("instances"))
            .then()
            .statusCode(200)
            .extract()
            .path("instance.id");
    CREATED.add(source);
    TENANT.await(source, "ACTIVE", READY);
    sql(source, "CREATE TABLE orders (id int PRIMARY KEY, item text)");
    insert(source, 1, 100);
  }

  @AfterAll
  static void cleanUp() {
    for (String id : CREATED) {
      TENANT.as().body("{\"reset_status\": {}}").post(TENANT.path("instances/" + id + "/action"));
      TENANT.as().delete(TENANT.path("instances/" + id));
    }
  }

  private static String ip(String id) {
    return TENANT.show(id).getString("instance.ip[0]");
  }

  private static Connection connect(String id) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + ip(id) + ":5432/app?connectTimeout=5", "app", PASSWORD);
  }

  private static void sql(String id, String statement) throws SQLException {
    try (Connection c = connect(id);
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static void insert(String id, int from, int to) throws SQLException {
    sql(
        id,
        "INSERT INTO orders SELECT g, 'item ' || g FROM generate_series("
            + from
            + ", "
            + to
            + ") g");
  }

  private static long count(String id) throws SQLException {
    try (Connection c = connect(id);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM orders")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void awaitRows(String id, long rows) {
    await()
        .atMost(REPLAY)
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(count(id)).isEqualTo(rows));
  }

  private static List<String> replicasOf(String id) {
    List<String> ids = TENANT.show(id).getList("instance.replicas.id");
    return ids == null ? List.of() : ids;
  }

  private static void action(String id, String action) {
    TENANT
        .as()
        .body("{\"" + action + "\": {}}")
        .post(TENANT.path("instances/" + id + "/action"))
        .then()
        .statusCode(202);
  }

  @Test
  @Order(1)
  void twoReplicasFollowTheSourceAndRefuseWrites() throws SQLException {
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
      assertThat(shown.getString("instance.name")).startsWith("orders-replica-");
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
  void aDetachedReplicaTakesWritesAndItsSourceForgetsIt() throws SQLException {
    TENANT
        .as()
        .body("{\"instance\": {\"replica_of\": \"\"}}")
        .put(TENANT.path("instances/" + detached))
        .then()
        .statusCode(202);
    JsonPath shown = TENANT.await(detached, "ACTIVE", READY);
    assertThat(shown.getString("instance.replica_of")).isNull();
    assertThat(replicasOf(source)).containsExactly(promoted);

    insert(detached, 5001, 5010);
    assertThat(count(detached)).isEqualTo(260);
    insert(source, 251, 300);
    awaitRows(promoted, 300);
    assertThat(count(detached)).isEqualTo(260);
    // the source no longer keeps WAL for the replica that left
    try (Connection c = connect(source);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'coffer_"
                    + detached.replace('-', '_')
                    + "'")) {
      rs.next();
      assertThat(rs.getLong(1)).isZero();
    }
  }

  @Test
  @Order(3)
  void aSourceWithReplicasCannotBeDeletedAndItsReplicasGrowWithIt() {
    TENANT
        .as()
        .delete(TENANT.path("instances/" + source))
        .then()
        .statusCode(403)
        .body("forbidden.code", org.hamcrest.Matchers.equalTo(403));

    TENANT
        .as()
        .body("{\"resize\": {\"volume\": {\"size\": 2}}}")
        .post(TENANT.path("instances/" + source + "/action"))
        .then()
        .statusCode(202);
    await()
        .atMost(READY)
        .untilAsserted(
            () -> {
              assertThat(TENANT.show(source).getInt("instance.volume.size")).isEqualTo(2);
              assertThat(TENANT.show(promoted).getInt("instance.volume.size")).isEqualTo(2);
            });
    TENANT.await(source, "ACTIVE", READY);
    TENANT.await(promoted, "ACTIVE", READY);
  }

  @Test
  @Order(4)
  void promotingAReplicaMakesTheFormerSourceFollowIt() throws SQLException {
    long start = System.nanoTime();
    action(promoted, "promote_to_replica_source");
    TENANT.await(promoted, "ACTIVE", READY);
    TENANT.await(source, "ACTIVE", READY);
    System.out.printf(
        "switchover: %d ms%n", Duration.ofNanos(System.nanoTime() - start).toMillis());

    assertThat(TENANT.show(promoted).getString("instance.replica_of")).isNull();
    assertThat(replicasOf(promoted)).containsExactly(source);
    assertThat(TENANT.show(source).getString("instance.replica_of.id")).isEqualTo(promoted);
    // nothing the old source committed was lost
    assertThat(count(promoted)).isEqualTo(300);
    insert(promoted, 301, 400);
    awaitRows(source, 400);
    assertThatThrownBy(() -> insert(source, 2000, 2000)).hasMessageContaining("read-only");
  }

  @Test
  @Order(5)
  void ejectingADeadSourceMakesTheReplicaTheSourceWithTheReplayedRows() throws SQLException {
    insert(promoted, 401, 450);
    awaitRows(source, 450);
    Suite.killDatabase(promoted);
    Suite.killGuest(promoted);

    // eject is refused while the source still has a current heartbeat
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
    long start = System.nanoTime();
    await()
        .atMost(READY)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> TENANT.show(source).getString("instance.replica_of") == null);
    TENANT.await(source, "ACTIVE", READY);
    System.out.printf(
        "failover after the expiry: %d ms%n",
        Duration.ofNanos(System.nanoTime() - start).toMillis());

    assertThat(count(source)).isEqualTo(450);
    insert(source, 451, 460);
    assertThat(count(source)).isEqualTo(460);
  }

  @Test
  @Order(6)
  void deletingAReplicaDropsItsSlotOnTheSource() throws SQLException {
    String replica =
        TENANT
            .as()
            .body("{\"instance\": {\"name\": \"short-lived\", \"replica_of\": \"" + source + "\"}}")
            .post(TENANT.path("instances"))
            .then()
            .statusCode(200)
            .extract()
            .path("instance.id");
    CREATED.add(replica);
    TENANT.await(replica, "ACTIVE", READY);
    String slots =
        "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'coffer_"
            + replica.replace('-', '_')
            + "'";
    assertThat(scalar(source, slots)).isEqualTo(1);

    TENANT.as().delete(TENANT.path("instances/" + replica)).then().statusCode(202);
    TENANT.awaitDeleted(replica, READY);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(scalar(source, slots)).isZero());
  }

  private static long scalar(String id, String query) throws SQLException {
    try (Connection c = connect(id);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
