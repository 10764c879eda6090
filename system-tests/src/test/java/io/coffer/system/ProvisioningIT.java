package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A tenant's life with a real PostgreSQL instance, through the REST API, with every daemon, the
 * guest agent and the database server as real processes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProvisioningIT {

  private static final Duration READY = Duration.ofSeconds(60);
  private static final Tenant TENANT = new Tenant();
  private static String id;
  private static String ip;

  @BeforeAll
  static void suite() {
    Suite.start();
  }

  static Connection connect(String database, String user, String password) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + ip + ":5432/" + database + "?connectTimeout=5", user, password);
  }

  @Test
  @Order(1)
  void createAPostgresInstanceWithADatabaseAndAUser() {
    long start = System.nanoTime();
    id =
        TENANT
            .as()
            .body(
                "{\"instance\": {\"name\": \"shop\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1},"
                    + " \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"},"
                    + " \"databases\": [{\"name\": \"app\"}],"
                    + " \"users\": [{\"name\": \"alice\", \"password\": \"alice-Secret1\", \"databases\": [{\"name\": \"app\"}]}]}}")
            .post(TENANT.path("instances"))
            .then()
            .statusCode(200)
            .body("instance.status", equalTo("BUILD"))
            .extract()
            .path("instance.id");
    JsonPath ready = TENANT.await(id, "ACTIVE", READY);
    System.out.printf(
        "create -> ACTIVE/HEALTHY in %d ms%n",
        Duration.ofNanos(System.nanoTime() - start).toMillis());
    ip = ready.getString("instance.ip[0]");
    assertThat(ip).startsWith("127.0.2.");
    assertThat(ready.getString("instance.addresses[0].address")).isEqualTo(ip);
  }

  @Test
  @Order(2)
  void theUserWritesAndReadsRows() throws SQLException {
    try (Connection c = connect("app", "alice", "alice-Secret1");
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id int PRIMARY KEY, item text)");
      st.execute("INSERT INTO orders VALUES (1, 'coffee'), (2, 'beans')");
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM orders")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
      }
    }
    assertThatThrownBy(() -> connect("app", "alice", "wrong").close())
        .isInstanceOf(SQLException.class);
    TENANT
        .as()
        .get(TENANT.path("instances/" + id))
        .then()
        .body("instance.volume.used", org.hamcrest.Matchers.notNullValue());
  }

  @Test
  @Order(3)
  void grantAndRevokeAreEnforcedByTheDatabase() throws SQLException {
    TENANT
        .as()
        .body("{\"databases\": [{\"name\": \"reports\"}]}")
        .post(TENANT.path("instances/" + id + "/databases"))
        .then()
        .statusCode(202);
    TENANT
        .as()
        .body("{\"users\": [{\"name\": \"bob\", \"password\": \"bob-Secret1\"}]}")
        .post(TENANT.path("instances/" + id + "/users"))
        .then()
        .statusCode(202);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                TENANT.as().get(TENANT.path("instances/" + id + "/users/bob")).statusCode() == 200);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                TENANT
                    .as()
                    .get(TENANT.path("instances/" + id + "/databases"))
                    .asString()
                    .contains("reports"));
    // bob may not connect to reports yet
    assertThatThrownBy(() -> connect("reports", "bob", "bob-Secret1").close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("permission denied");
    TENANT
        .as()
        .body("{\"databases\": [{\"name\": \"reports\"}]}")
        .put(TENANT.path("instances/" + id + "/users/bob/databases"))
        .then()
        .statusCode(202);
    TENANT
        .as()
        .get(TENANT.path("instances/" + id + "/users/bob/databases"))
        .then()
        .statusCode(200)
        .body("databases[0].name", equalTo("reports"));
    try (Connection c = connect("reports", "bob", "bob-Secret1");
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE kpi (v int)");
    }
    TENANT
        .as()
        .delete(TENANT.path("instances/" + id + "/users/bob/databases/reports"))
        .then()
        .statusCode(202);
    assertThatThrownBy(() -> connect("reports", "bob", "bob-Secret1").close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("permission denied");
    TENANT
        .as()
        .get(TENANT.path("instances/" + id + "/users"))
        .then()
        .statusCode(200)
        .body("users.name", org.hamcrest.Matchers.hasItems("alice", "bob"));
  }

  @Test
  @Order(4)
  void rootCanBeEnabledAndUsed() throws SQLException {
    String password =
        TENANT
            .as()
            .post(TENANT.path("instances/" + id + "/root"))
            .then()
            .statusCode(200)
            .body("user.name", equalTo("root"))
            .extract()
            .path("user.password");
    try (Connection c = connect("postgres", "root", password);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
      rs.next();
      assertThat(rs.getBoolean(1)).isTrue();
    }
    TENANT
        .as()
        .get(TENANT.path("instances/" + id + "/root"))
        .then()
        .body("rootEnabled", equalTo(true));
  }

  @Test
  @Order(5)
  void restartKeepsTheData() throws SQLException {
    TENANT
        .as()
        .body("{\"restart\": {}}")
        .post(TENANT.path("instances/" + id + "/action"))
        .then()
        .statusCode(202);
    TENANT.await(id, "ACTIVE", READY);
    try (Connection c = connect("app", "alice", "alice-Secret1");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT item FROM orders WHERE id = 1")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("coffee");
    }
  }

  @Test
  @Order(6)
  void resizeFlavorAppliesTheNewMemorySettings() throws SQLException {
    TENANT
        .as()
        .body("{\"resize\": {\"flavorRef\": \"2\"}}")
        .post(TENANT.path("instances/" + id + "/action"))
        .then()
        .statusCode(202);
    await().atMost(READY).until(() -> "2".equals(TENANT.show(id).getString("instance.flavor.id")));
    TENANT.await(id, "ACTIVE", READY);
    try (Connection c = connect("app", "alice", "alice-Secret1");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW shared_buffers")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("512MB");
    }
  }

  @Test
  @Order(7)
  void resizeVolume() {
    TENANT
        .as()
        .body("{\"resize\": {\"volume\": {\"size\": 2}}}")
        .post(TENANT.path("instances/" + id + "/action"))
        .then()
        .statusCode(202);
    await().atMost(READY).until(() -> TENANT.show(id).getInt("instance.volume.size") == 2);
    TENANT.await(id, "ACTIVE", READY);
  }

  @Test
  @Order(8)
  void deleteLeavesNoProcessPortOrDirectory() throws IOException {
    Path dir = Suite.INSTANCES.resolve(id);
    long pgid = Long.parseLong(Files.readString(dir.resolve("guest.pid")).trim());
    TENANT.as().delete(TENANT.path("instances/" + id)).then().statusCode(202);
    TENANT.awaitDeleted(id, READY);
    await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(dir));
    assertThat(ProcessHandle.of(pgid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(listening(ip, 5432)).isFalse();
    assertThat(
            ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(id)))
        .isEmpty();
  }

  static boolean listening(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
