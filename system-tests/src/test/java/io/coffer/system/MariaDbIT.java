package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A tenant's life with a real MariaDB instance through the REST API: the server its guest runs on
 * the instance's own address, databases with their character sets, users whose grants the server
 * enforces, root, configuration groups live and restart-required, and a delete that leaves nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MariaDbIT {

  private static final Duration READY = Duration.ofSeconds(90);
  private static final Tenant TENANT = new Tenant();
  private static final String ALICE_PW = "alice-Secret1";
  private static final String BOB_PW = "bob-Secret1";
  private static String id;
  private static String ip;

  @BeforeAll
  static void suite() {
    Suite.start();
  }

  @AfterAll
  static void cleanUp() {
    if (id != null) {
      TENANT.as().delete(TENANT.path("instances/" + id));
    }
  }

  static Connection connect(String host, String database, String user, String password)
      throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mariadb://" + host + ":3306/" + database + "?connectTimeout=5000", user, password);
  }

  private static String variable(String name) throws SQLException {
    try (Connection c = connect(ip, "shop", "alice", ALICE_PW);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT @@GLOBAL." + name)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Database and user changes are casts (Trove's): their effect shows a moment after the 202. */
  private static void eventually(org.awaitility.core.ThrowingRunnable check) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(check);
  }

  private static List<String> databaseNames() {
    return TENANT
        .as()
        .get(TENANT.path("instances/" + id + "/databases"))
        .then()
        .statusCode(200)
        .extract()
        .path("databases.name");
  }

  private static void action(String body) {
    TENANT.as().body(body).post(TENANT.path("instances/" + id + "/action")).then().statusCode(202);
  }

  @Test
  @Order(1)
  void createAMariaDbInstanceWithADatabaseAndAUser() {
    long start = System.nanoTime();
    id =
        TENANT.createInstance(
            "\"name\": \"shop-db\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1},"
                + " \"datastore\": {\"type\": \"mariadb\", \"version\": \"10.11\"},"
                + " \"databases\": [{\"name\": \"shop\", \"character_set\": \"latin1\","
                + " \"collate\": \"latin1_swedish_ci\"}],"
                + " \"users\": [{\"name\": \"alice\", \"password\": \""
                + ALICE_PW
                + "\", \"databases\": [{\"name\": \"shop\"}]}]");
    JsonPath ready = TENANT.await(id, "ACTIVE", READY);
    System.out.printf(
        "mariadb create -> ACTIVE/HEALTHY in %d ms%n",
        Duration.ofNanos(System.nanoTime() - start).toMillis());
    ip = ready.getString("instance.ip[0]");
    assertThat(ip).startsWith("127.0.2.");
    assertThat(ready.getString("instance.datastore.type")).isEqualTo("mariadb");
  }

  @Test
  @Order(2)
  void theUserWritesRowsInItsDatabaseWithItsCharacterSet() throws SQLException {
    try (Connection c = connect(ip, "shop", "alice", ALICE_PW);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE orders (id int PRIMARY KEY, item varchar(20))");
      st.execute("INSERT INTO orders VALUES (1, 'tea'), (2, 'coffee')");
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM orders")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT default_character_set_name, default_collation_name"
                  + " FROM information_schema.schemata WHERE schema_name = 'shop'")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("latin1");
        assertThat(rs.getString(2)).isEqualTo("latin1_swedish_ci");
      }
      // alice has her database and nothing else
      assertThatThrownBy(() -> st.execute("CREATE DATABASE elsewhere"))
          .hasMessageContaining("Access denied");
    }
    // the host's own MariaDB is another server: alice does not exist there
    assertThatThrownBy(() -> connect("127.0.0.1", "shop", "alice", ALICE_PW).close())
        .isInstanceOf(SQLException.class);
  }

  @Test
  @Order(3)
  void databasesAreListedCreatedAndDeletedWithoutTheSystemSchemas() {
    TENANT
        .as()
        .body("{\"databases\": [{\"name\": \"reports\"}, {\"name\": \"audit_log\"}]}")
        .post(TENANT.path("instances/" + id + "/databases"))
        .then()
        .statusCode(202);
    eventually(() -> assertThat(databaseNames()).containsExactly("audit_log", "reports", "shop"));
    // paged with Trove's marker
    JsonPath page =
        TENANT
            .as()
            .get(TENANT.path("instances/" + id + "/databases?limit=2"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(page.getList("databases.name", String.class))
        .containsExactly("audit_log", "reports");
    assertThat(page.getString("links[0].href")).contains("marker=reports");
    TENANT
        .as()
        .delete(TENANT.path("instances/" + id + "/databases/reports"))
        .then()
        .statusCode(202);
    eventually(() -> assertThat(databaseNames()).containsExactly("audit_log", "shop"));
  }

  @Test
  @Order(4)
  void badNamesAndHostsAreRefusedWith400() {
    for (String body :
        new String[] {
          "{\"databases\": [{\"name\": \"mysql\"}]}", "{\"databases\": [{\"name\": \"bad`name\"}]}"
        }) {
      TENANT
          .as()
          .body(body)
          .post(TENANT.path("instances/" + id + "/databases"))
          .then()
          .statusCode(400)
          .body("badRequest.code", equalTo(400));
    }
    for (String user :
        new String[] {
          "{\"name\": \"os_admin\", \"password\": \"x-Secret1\"}",
          "{\"name\": \"waytoolongusername1\", \"password\": \"x-Secret1\"}",
          "{\"name\": \"eve\", \"password\": \"x-Secret1\", \"host\": \"%' OR '1\"}"
        }) {
      TENANT
          .as()
          .body("{\"users\": [" + user + "]}")
          .post(TENANT.path("instances/" + id + "/users"))
          .then()
          .statusCode(400)
          .body("badRequest.code", equalTo(400));
    }
  }

  @Test
  @Order(5)
  void grantsAreEnforcedByTheServer() throws SQLException {
    TENANT
        .as()
        .body(
            "{\"users\": [{\"name\": \"bob\", \"password\": \""
                + BOB_PW
                + "\", \"host\": \"127.%\"}]}")
        .post(TENANT.path("instances/" + id + "/users"))
        .then()
        .statusCode(202);
    eventually(
        () ->
            assertThat(
                    TENANT
                        .as()
                        .get(TENANT.path("instances/" + id + "/users"))
                        .then()
                        .statusCode(200)
                        .extract()
                        .<List<String>>path("users.collect { it.name + '@' + it.host }"))
                .containsExactly("alice@%", "bob@127.%"));
    TENANT
        .as()
        .get(TENANT.path("instances/" + id + "/users/bob@127.%"))
        .then()
        .statusCode(200)
        .body("user.host", equalTo("127.%"));

    assertThatThrownBy(() -> connect(ip, "shop", "bob", BOB_PW).close())
        .hasMessageContaining("Access denied");

    TENANT
        .as()
        .body("{\"databases\": [{\"name\": \"shop\"}]}")
        .put(TENANT.path("instances/" + id + "/users/bob@127.%/databases"))
        .then()
        .statusCode(202);
    eventually(
        () ->
            TENANT
                .as()
                .get(TENANT.path("instances/" + id + "/users/bob@127.%/databases"))
                .then()
                .statusCode(200)
                .body("databases.name", org.hamcrest.Matchers.contains("shop")));
    try (Connection c = connect(ip, "shop", "bob", BOB_PW);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM orders")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(2);
    }
    // a grant on shop covers shop only ("_" is no wildcard here)
    try (Connection c = connect(ip, "shop", "bob", BOB_PW);
        Statement st = c.createStatement()) {
      assertThatThrownBy(() -> st.execute("USE audit_log")).hasMessageContaining("denied");
    }

    TENANT
        .as()
        .delete(TENANT.path("instances/" + id + "/users/bob@127.%/databases/shop"))
        .then()
        .statusCode(202);
    eventually(
        () ->
            assertThatThrownBy(() -> connect(ip, "shop", "bob", BOB_PW).close())
                .hasMessageContaining("Access denied"));
  }

  @Test
  @Order(6)
  void aUserIsRenamedAndRepasswordedThenDeleted() throws SQLException {
    TENANT
        .as()
        .body("{\"user\": {\"name\": \"robert\", \"password\": \"robert-Secret2\"}}")
        .put(TENANT.path("instances/" + id + "/users/bob@127.%"))
        .then()
        .statusCode(202);
    eventually(
        () ->
            TENANT
                .as()
                .get(TENANT.path("instances/" + id + "/users/robert@127.%"))
                .then()
                .statusCode(200));
    TENANT
        .as()
        .body("{\"databases\": [{\"name\": \"shop\"}]}")
        .put(TENANT.path("instances/" + id + "/users/robert@127.%/databases"))
        .then()
        .statusCode(202);
    eventually(() -> connect(ip, "shop", "robert", "robert-Secret2").close());
    assertThatThrownBy(() -> connect(ip, "shop", "bob", BOB_PW).close())
        .isInstanceOf(SQLException.class);

    TENANT
        .as()
        .delete(TENANT.path("instances/" + id + "/users/robert@127.%"))
        .then()
        .statusCode(202);
    eventually(
        () ->
            TENANT
                .as()
                .get(TENANT.path("instances/" + id + "/users/robert@127.%"))
                .then()
                .statusCode(404));
    assertThatThrownBy(() -> connect(ip, "shop", "robert", "robert-Secret2").close())
        .hasMessageContaining("Access denied");
  }

  @Test
  @Order(7)
  void rootIsEnabledAndDisabled() throws SQLException {
    TENANT
        .as()
        .get(TENANT.path("instances/" + id + "/root"))
        .then()
        .statusCode(200)
        .body("rootEnabled", equalTo(false));
    String password =
        TENANT
            .as()
            .post(TENANT.path("instances/" + id + "/root"))
            .then()
            .statusCode(200)
            .body("user.name", equalTo("root"))
            .extract()
            .path("user.password");
    try (Connection c = connect(ip, "mysql", "root", password);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE made_by_root");
      st.execute("DROP DATABASE made_by_root");
    }
    TENANT
        .as()
        .get(TENANT.path("instances/" + id + "/root"))
        .then()
        .body("rootEnabled", equalTo(true));
    // root is not listed among the users
    assertThat(
            TENANT
                .as()
                .get(TENANT.path("instances/" + id + "/users"))
                .then()
                .extract()
                .<List<String>>path("users.name"))
        .containsExactly("alice");

    TENANT.as().delete(TENANT.path("instances/" + id + "/root")).then().statusCode(204);
    assertThatThrownBy(() -> connect(ip, "mysql", "root", password).close())
        .hasMessageContaining("Access denied");
  }

  @Test
  @Order(8)
  void configurationGroupsApplyLiveOrAtTheRestart() throws SQLException {
    assertThat(variable("max_connections")).isEqualTo("100");
    String logBuffer = variable("innodb_log_buffer_size");
    String group =
        TENANT
            .as()
            .body(
                "{\"configuration\": {\"name\": \"busy\", \"datastore\": {\"type\": \"mariadb\","
                    + " \"version\": \"10.11\"}, \"values\": {\"max_connections\": 321}}}")
            .post(TENANT.path("configurations"))
            .then()
            .statusCode(200)
            .extract()
            .path("configuration.id");
    TENANT
        .as()
        .body("{\"instance\": {\"configuration\": \"" + group + "\"}}")
        .put(TENANT.path("instances/" + id))
        .then()
        .statusCode(202);

    // a dynamic value is live at once (SET GLOBAL)
    assertThat(variable("max_connections")).isEqualTo("321");
    TENANT
        .as()
        .get(TENANT.path("instances/" + id))
        .then()
        .body("instance.status", equalTo("ACTIVE"));

    // one the server reads only at its start waits for the restart
    TENANT
        .as()
        .body("{\"configuration\": {\"values\": {\"innodb_log_buffer_size\": 16777216}}}")
        .patch(TENANT.path("configurations/" + group))
        .then()
        .statusCode(200);
    assertThat(variable("innodb_log_buffer_size")).isEqualTo(logBuffer);
    TENANT
        .as()
        .get(TENANT.path("instances/" + id))
        .then()
        .body("instance.status", equalTo("RESTART_REQUIRED"));

    action("{\"restart\": {}}");
    TENANT.await(id, "ACTIVE", READY);
    assertThat(variable("innodb_log_buffer_size")).isEqualTo("16777216");
    assertThat(variable("max_connections")).isEqualTo("321");

    // detach: the group holds a restart-required value, so the template's values come back with
    // the restart
    TENANT
        .as()
        .body("{\"instance\": {\"configuration\": null}}")
        .put(TENANT.path("instances/" + id))
        .then()
        .statusCode(202);
    TENANT
        .as()
        .get(TENANT.path("instances/" + id))
        .then()
        .body("instance.status", equalTo("RESTART_REQUIRED"));
    action("{\"restart\": {}}");
    TENANT.await(id, "ACTIVE", READY);
    assertThat(variable("max_connections")).isEqualTo("100");
    assertThat(variable("innodb_log_buffer_size")).isEqualTo(logBuffer);
    TENANT.as().delete(TENANT.path("configurations/" + group)).then().statusCode(202);
  }

  @Test
  @Order(9)
  void theDataSurvivesARestartAndTheVolumeIsMeasured() throws SQLException {
    action("{\"restart\": {}}");
    TENANT.await(id, "ACTIVE", READY);
    try (Connection c = connect(ip, "shop", "alice", ALICE_PW);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT group_concat(item ORDER BY id) FROM orders")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("tea,coffee");
    }
    TENANT
        .as()
        .get(TENANT.path("instances/" + id))
        .then()
        .body("instance.volume.used", org.hamcrest.Matchers.greaterThan(0.0f));
  }

  private static String backup(String name, String extra) {
    return TENANT
        .as()
        .body(
            "{\"backup\": {\"name\": \"" + name + "\", \"instance\": \"" + id + "\"" + extra + "}}")
        .post(TENANT.path("backups"))
        .then()
        .statusCode(202)
        .extract()
        .path("backup.id");
  }

  private static String contents(String host) throws SQLException {
    try (Connection c = connect(host, "shop", "alice", ALICE_PW);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT concat(count(*), ':', coalesce(sum(id), 0), ':',"
                    + " coalesce(group_concat(item ORDER BY id), '')) FROM orders")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void insert(int from, int to) throws SQLException {
    try (Connection c = connect(ip, "shop", "alice", ALICE_PW);
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO orders SELECT seq, concat('item-', seq) FROM seq_" + from + "_to_" + to);
    }
  }

  @Test
  @Order(10)
  void fullAndIncrementalBackupsRestoreExactlyTheRowsWrittenIntoAnotherFlavor()
      throws SQLException {
    insert(100, 2099);
    String fullContents = contents(ip);
    String full = backup("nightly", "");
    JsonPath done = TENANT.awaitBackup(full, "COMPLETED", READY);
    assertThat(done.getFloat("backup.size")).isGreaterThan(0f);
    assertThat(done.getString("backup.datastore.type")).isEqualTo("mariadb");

    insert(3000, 3999);
    try (Connection c = connect(ip, "shop", "alice", ALICE_PW);
        Statement st = c.createStatement()) {
      st.execute("DELETE FROM orders WHERE id = 1");
    }
    String incrementalContents = contents(ip);
    String incremental = backup("hourly", ", \"parent_id\": \"" + full + "\"");
    assertThat(TENANT.awaitBackup(incremental, "COMPLETED", READY).getString("backup.parent_id"))
        .isEqualTo(full);
    // written after the last backup: in no restore
    insert(5000, 5009);

    String fromFull =
        TENANT.createInstance(
            "\"name\": \"restored-full\", \"flavorRef\": \"2\", \"volume\": {\"size\": 1},"
                + " \"datastore\": {\"type\": \"mariadb\", \"version\": \"10.11\"},"
                + " \"restorePoint\": {\"backupRef\": \""
                + full
                + "\"}");
    String fromIncremental =
        TENANT.createInstance(
            "\"name\": \"restored-incremental\", \"flavorRef\": \"1\", \"volume\": {\"size\":"
                + " 1}, \"datastore\": {\"type\": \"mariadb\", \"version\": \"10.11\"},"
                + " \"restorePoint\": {\"backupRef\": \""
                + incremental
                + "\"}");
    try {
      JsonPath a = TENANT.await(fromFull, "ACTIVE", READY);
      assertThat(a.getString("instance.flavor.id")).isEqualTo("2");
      assertThat(contents(a.getString("instance.ip[0]"))).isEqualTo(fullContents);
      JsonPath b = TENANT.await(fromIncremental, "ACTIVE", READY);
      assertThat(contents(b.getString("instance.ip[0]"))).isEqualTo(incrementalContents);
      assertThat(incrementalContents).isNotEqualTo(fullContents).startsWith("3001:");
      // the restored server is administered by its own guest: users work on it
      TENANT
          .as()
          .body("{\"databases\": [{\"name\": \"after_restore\"}]}")
          .post(TENANT.path("instances/" + fromIncremental + "/databases"))
          .then()
          .statusCode(202);
      eventually(
          () ->
              assertThat(
                      TENANT
                          .as()
                          .get(TENANT.path("instances/" + fromIncremental + "/databases"))
                          .then()
                          .extract()
                          .<List<String>>path("databases.name"))
                  .contains("after_restore", "shop"));
    } finally {
      for (String restored : new String[] {fromFull, fromIncremental}) {
        TENANT.as().delete(TENANT.path("instances/" + restored)).then().statusCode(202);
      }
      for (String restored : new String[] {fromFull, fromIncremental}) {
        TENANT.awaitDeleted(restored, Duration.ofSeconds(60));
      }
    }
  }

  @Test
  @Order(11)
  void resizesFollowTheFlavorAndGrowTheVolumeKeepingTheRows() throws SQLException {
    assertThat(variable("innodb_buffer_pool_size")).isEqualTo(Long.toString(128L << 20));
    String before = contents(ip);
    action("{\"resize\": {\"flavorRef\": \"2\"}}");
    org.awaitility.Awaitility.await()
        .atMost(READY)
        .until(() -> "2".equals(TENANT.show(id).getString("instance.flavor.id")));
    TENANT.await(id, "ACTIVE", READY);
    // the template of the bigger flavor: half of its 2 GB for the buffer pool
    assertThat(variable("innodb_buffer_pool_size")).isEqualTo(Long.toString(1024L << 20));
    assertThat(variable("max_connections")).isEqualTo("400");

    action("{\"resize\": {\"volume\": {\"size\": 2}}}");
    org.awaitility.Awaitility.await()
        .atMost(READY)
        .until(() -> TENANT.show(id).getInt("instance.volume.size") == 2);
    TENANT.await(id, "ACTIVE", READY);
    assertThat(TENANT.show(id).getFloat("instance.volume.size")).isEqualTo(2f);
    assertThat(contents(ip)).isEqualTo(before);
  }

  @Test
  @Order(20)
  void deleteLeavesNothingAndTheHostsMariaDbIsUntouched() throws Exception {
    TENANT.as().delete(TENANT.path("instances/" + id)).then().statusCode(202);
    TENANT.awaitDeleted(id, Duration.ofSeconds(60));
    FaultsIT.assertNothingLeft(id);
    String deleted = id;
    id = null;
    assertThat(deleted).isNotNull();
    // the host's own server on 127.0.0.1:3306 still answers
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", 3306), 2000);
      assertThat(s.isConnected()).isTrue();
    }
  }

  @Test
  @Order(21)
  void theMysqlDatastoreRunsOnTheSameEngineWithRootEnabledAtCreate() throws SQLException {
    // the suite enables root at create for mysql (root_on_create): the password is in the response
    JsonPath created =
        TENANT
            .as()
            .body(
                "{\"instance\": {\"name\": \"legacy\", \"flavorRef\": \"1\", \"volume\": {\"size\":"
                    + " 1}, \"datastore\": {\"type\": \"mysql\", \"version\": \"5.7\"},"
                    + " \"users\": [{\"name\": \"app\", \"password\": \"app-Secret1\","
                    + " \"databases\": [{\"name\": \"app\"}]}], \"databases\": [{\"name\":"
                    + " \"app\"}]}}")
            .post(TENANT.path("instances"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    String mysql = created.getString("instance.id");
    String rootPassword = created.getString("instance.password");
    assertThat(rootPassword).hasSizeGreaterThan(16);
    try {
      String host = TENANT.await(mysql, "ACTIVE", READY).getString("instance.ip[0]");
      try (Connection c = connect(host, "app", "app", "app-Secret1");
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT VERSION()")) {
        rs.next();
        assertThat(rs.getString(1)).contains("MariaDB");
      }
      try (Connection c = connect(host, "mysql", "root", rootPassword)) {
        assertThat(c.isValid(5)).isTrue();
      }
      TENANT
          .as()
          .get(TENANT.path("instances/" + mysql + "/root"))
          .then()
          .body("rootEnabled", equalTo(true));
      // shown once: never again in a view
      assertThat(TENANT.show(mysql).getString("instance.password")).isNull();
    } finally {
      TENANT.as().delete(TENANT.path("instances/" + mysql)).then().statusCode(202);
      TENANT.awaitDeleted(mysql, Duration.ofSeconds(60));
    }
    TENANT
        .as()
        .get(TENANT.path("instances/" + mysql))
        .then()
        .statusCode(404)
        .body("itemNotFound.message", containsString(mysql));
  }
}
