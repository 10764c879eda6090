package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.coffer.testing.Datastores;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trove's guest log API on real MariaDB and PostgreSQL instances: the slow-query log with the
 * threshold a configuration group sets, publishing only what is new, secrets masked, the guest's
 * own log, the errors Trove gives, and projects kept apart.
 */
class LogsIT {

  private static final Duration READY = Duration.ofSeconds(90);
  private static final String ALICE_PW = "alice-Secret1";
  private static final String CAROL_PW = "carol-Secret-Never-Published";
  private static final Tenant TENANT = new Tenant();
  private static final Tenant OTHER = new Tenant();

  private static String maria;
  private static String mariaIp;

  @BeforeAll
  static void instance() {
    Suite.start();
    String version =
        (String)
            io.coffer.testing.Db.value(
                "SELECT v.id FROM datastore_versions v JOIN datastores d ON d.id = v.datastore_id"
                    + " WHERE d.name = 'mariadb' AND v.name = '10.11'");
    Datastores.rule(version, "long_query_time", "float", false, "0", "31536000");
    maria =
        TENANT.createInstance(
            "\"name\": \"logged\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1},"
                + " \"datastore\": {\"type\": \"mariadb\", \"version\": \"10.11\"},"
                + " \"databases\": [{\"name\": \"shop\"}],"
                + " \"users\": [{\"name\": \"alice\", \"password\": \""
                + ALICE_PW
                + "\", \"databases\": [{\"name\": \"shop\"}]}]");
    mariaIp = TENANT.await(maria, "ACTIVE", READY).getString("instance.ip[0]");
  }

  @AfterAll
  static void cleanUp() {
    if (maria != null) {
      TENANT.as().delete(TENANT.path("instances/" + maria));
    }
  }

  private static JsonPath log(Tenant t, String id, String body) {
    return t.as()
        .body(body)
        .post(t.path("instances/" + id + "/log"))
        .then()
        .statusCode(200)
        .extract()
        .jsonPath();
  }

  /** What was published of a log, object after object, read from the project's storage. */
  private static String published(String id, String prefix) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(Suite.BACKUPS)) {
      List<Path> objects =
          files
              .filter(Files::isRegularFile)
              .filter(p -> p.toString().contains("/database_logs/" + id + "/" + prefix + "/"))
              .filter(p -> !p.toString().endsWith(".meta"))
              .sorted()
              .toList();
      for (Path p : objects) {
        all.append(Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return all.toString();
  }

  /** Runs statements as alice, in one session. */
  private static void mariadb(String... sql) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:mariadb://" + mariaIp + ":3306/shop?connectTimeout=5000", "alice", ALICE_PW);
        Statement st = c.createStatement()) {
      for (String s : sql) {
        st.execute(s);
      }
    }
  }

  private static String longQueryTime() throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:mariadb://" + mariaIp + ":3306/shop?connectTimeout=5000", "alice", ALICE_PW);
        Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT @@global.long_query_time")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void theSlowQueryLogOfMariaDbPublishesItsSlowQueriesOnceEach() throws Exception {
    JsonPath list =
        TENANT
            .as()
            .get(TENANT.path("instances/" + maria + "/log"))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(list.getList("logs.name")).containsExactly("guest", "general", "slow_query");
    assertThat(list.getString("logs.find { it.name == 'slow_query' }.status"))
        .isEqualTo("Disabled");
    assertThat(list.getString("logs.find { it.name == 'guest' }.type")).isEqualTo("SYS");

    // the threshold comes from a configuration group
    String group =
        TENANT
            .as()
            .body(
                "{\"configuration\": {\"name\": \"slow\", \"datastore\": {\"type\": \"mariadb\","
                    + " \"version\": \"10.11\"}, \"values\": {\"long_query_time\": 0.2}}}")
            .post(TENANT.path("configurations"))
            .then()
            .statusCode(200)
            .extract()
            .path("configuration.id");
    TENANT
        .as()
        .body("{\"instance\": {\"configuration\": \"" + group + "\"}}")
        .put(TENANT.path("instances/" + maria))
        .then()
        .statusCode(202);
    TENANT.await(maria, "ACTIVE", READY);
    // the server starts the file with a header of its own: there may be something to publish
    assertThat(
            log(TENANT, maria, "{\"name\": \"slow_query\", \"enable\": 1}").getString("log.status"))
        .isIn("Enabled", "Ready");
    // the group's threshold reaches the running server
    await().atMost(Duration.ofSeconds(20)).until(() -> "0.200000".equals(longQueryTime()));
    mariadb("SELECT SLEEP(0.4), 'first slow one'");
    assertThat(log(TENANT, maria, "{\"name\": \"slow_query\"}").getString("log.status"))
        .isEqualTo("Ready");
    mariadb("SELECT 'fast one'");
    JsonPath published = log(TENANT, maria, "{\"name\": \"slow_query\", \"publish\": 1}");
    assertThat(published.getString("log.status")).isEqualTo("Published");
    assertThat(published.getString("log.container")).isEqualTo("database_logs");
    assertThat(published.getString("log.prefix")).isEqualTo(maria + "/mariadb-slow_query/");
    assertThat(published.getString("log.metafile"))
        .isEqualTo(maria + "/mariadb-slow_query_metafile");
    String first = published(maria, "mariadb-slow_query");
    assertThat(first).contains("first slow one").doesNotContain("fast one");

    // publishing again adds only what is new
    mariadb("SELECT SLEEP(0.4), 'second slow one'");
    assertThat(log(TENANT, maria, "{\"name\": \"slow_query\"}").getString("log.status"))
        .isEqualTo("Partial");
    log(TENANT, maria, "{\"name\": \"slow_query\", \"publish\": 1}");
    String both = published(maria, "mariadb-slow_query");
    assertThat(both).startsWith(first).contains("second slow one");
    assertThat(both.split("first slow one", -1)).hasSize(2);

    // rotated as logrotate does it (moved aside, the server told to reopen): nothing lost or
    // published twice
    mariadb("SELECT SLEEP(0.4), 'before the rotation'");
    Path file = Suite.INSTANCES.resolve(maria).resolve("logs").resolve("slow_query.log");
    Files.move(file, file.resolveSibling("slow_query.log.1"));
    Process flush =
        new ProcessBuilder(
                "mariadb",
                "--socket=" + Suite.INSTANCES.resolve(maria).resolve("run/mariadbd.sock"),
                "-e",
                "FLUSH SLOW LOGS")
            .redirectErrorStream(true)
            .start();
    String flushed = new String(flush.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(flush.waitFor()).as(flushed).isZero();
    mariadb("SELECT SLEEP(0.4), 'after the rotation'");
    assertThat(log(TENANT, maria, "{\"name\": \"slow_query\"}").getString("log.status"))
        .isEqualTo("Rotated");
    log(TENANT, maria, "{\"name\": \"slow_query\", \"publish\": 1}");
    String rotated = published(maria, "mariadb-slow_query");
    assertThat(rotated).startsWith(both);
    for (String marker :
        List.of("first slow one", "second slow one", "before the rotation", "after the rotation")) {
      assertThat(rotated.split(marker, -1)).as(marker).hasSize(2);
    }
    assertThat(rotated.indexOf("before the rotation"))
        .isLessThan(rotated.indexOf("after the rotation"));

    // discard removes what was published
    log(TENANT, maria, "{\"name\": \"slow_query\", \"discard\": 1}");
    assertThat(published(maria, "mariadb-slow_query")).isEmpty();
    TENANT
        .as()
        .body("{\"instance\": {\"configuration\": null}}")
        .put(TENANT.path("instances/" + maria))
        .then()
        .statusCode(202);
  }

  @Test
  void passwordsInTheGeneralLogAreNeverPublishedAndTheGuestsOwnWorkIsNotInIt() throws Exception {
    log(TENANT, maria, "{\"name\": \"general\", \"enable\": 1}");
    // a user made through the API: the guest's own statements stay out of the tenant's log
    TENANT
        .as()
        .body(
            "{\"users\": [{\"name\": \"carol\", \"password\": \""
                + CAROL_PW
                + "\", \"databases\": [{\"name\": \"shop\"}]}]}")
        .post(TENANT.path("instances/" + maria + "/users"))
        .then()
        .statusCode(202);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                TENANT
                    .as()
                    .get(TENANT.path("instances/" + maria + "/users"))
                    .then()
                    .extract()
                    .jsonPath()
                    .getList("users.name")
                    .contains("carol"));
    // the tenant's own password change is logged, its password masked
    mariadb(
        "SET PASSWORD = PASSWORD('" + CAROL_PW + "')",
        "SET PASSWORD = PASSWORD('" + ALICE_PW + "')");
    mariadb("SELECT 'general marker'");
    log(TENANT, maria, "{\"name\": \"general\", \"publish\": 1}");
    String general = published(maria, "mariadb-general");
    assertThat(general)
        .contains("general marker")
        .contains("SET PASSWORD")
        .doesNotContain(CAROL_PW)
        .doesNotContain(ALICE_PW)
        .doesNotContain("CREATE USER");
    assertThat(
            log(TENANT, maria, "{\"name\": \"general\", \"disable\": 1}").getString("log.status"))
        .isEqualTo("Disabled");
  }

  @Test
  void theGuestLogIsPublishedButNotSwitchedAndBadRequestsAreRefused() throws Exception {
    JsonPath guest = log(TENANT, maria, "{\"name\": \"guest\", \"publish\": 1}");
    assertThat(guest.getString("log.type")).isEqualTo("SYS");
    assertThat(guest.getString("log.status")).isIn("Published", "Partial");
    assertThat(published(maria, "mariadb-guest")).isNotEmpty();
    for (String body :
        List.of(
            "{\"name\": \"guest\", \"disable\": 1}",
            "{\"name\": \"guest\", \"enable\": 1}",
            "{\"name\": \"general\", \"enable\": 1, \"disable\": 1}",
            "{\"name\": \"no_such_log\"}",
            "{\"enable\": 1}")) {
      TENANT
          .as()
          .body(body)
          .post(TENANT.path("instances/" + maria + "/log"))
          .then()
          .statusCode(400)
          .body("badRequest.code", equalTo(400));
    }
    TENANT
        .as()
        .body("{\"name\": \"no_such_log\"}")
        .post(TENANT.path("instances/" + maria + "/log"))
        .then()
        .body("badRequest.message", containsString("slow_query"));
    // another project sees no instance, hence no logs
    OTHER.as().get(OTHER.path("instances/" + maria + "/log")).then().statusCode(404);
    OTHER
        .as()
        .body("{\"name\": \"guest\", \"publish\": 1}")
        .post(OTHER.path("instances/" + maria + "/log"))
        .then()
        .statusCode(404);
  }

  private static Cli.Run openstack(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of("openstack"));
    cmd.addAll(List.of(args));
    return Cli.run(
        java.util.Map.of(
            "OS_AUTH_TYPE",
            "admin_token",
            "OS_ENDPOINT",
            "http://127.0.0.1:" + Suite.API_PORT + "/v1.0/" + TENANT.project,
            "OS_TOKEN",
            TENANT.token),
        cmd);
  }

  @Test
  void theOpenStackClientListsSetsAndShowsLogs() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode list =
        json.readTree(openstack("database", "log", "list", maria, "-f", "json").out());
    assertThat(list.findValuesAsText("Name")).contains("guest", "general", "slow_query");
    com.fasterxml.jackson.databind.JsonNode set =
        json.readTree(
            openstack("database", "log", "set", maria, "guest", "--publish", "-f", "json").out());
    assertThat(set.path("name").asText()).isEqualTo("guest");
    assertThat(set.path("container").asText()).isEqualTo("database_logs");
    com.fasterxml.jackson.databind.JsonNode show =
        json.readTree(openstack("database", "log", "show", maria, "guest", "-f", "json").out());
    assertThat(show.path("type").asText()).isEqualTo("SYS");
    assertThat(show.path("published").asLong()).isPositive();
  }

  @Test
  void postgresqlsGeneralLogHoldsItsStatements() throws Exception {
    String pg = TENANT.createShop("logged-pg", 1, "shop-Secret1", null);
    try {
      String ip = TENANT.await(pg, "ACTIVE", READY).getString("instance.ip[0]");
      JsonPath list =
          TENANT
              .as()
              .get(TENANT.path("instances/" + pg + "/log"))
              .then()
              .statusCode(200)
              .extract()
              .jsonPath();
      assertThat(list.getList("logs.name")).containsExactly("guest", "general");
      log(TENANT, pg, "{\"name\": \"general\", \"enable\": 1}");
      try (Connection c =
              DriverManager.getConnection(
                  "jdbc:postgresql://" + ip + ":5432/shop?connectTimeout=5",
                  "shop",
                  "shop-Secret1");
          Statement st = c.createStatement()) {
        st.execute("SELECT 'pg marker'");
      }
      assertThat(log(TENANT, pg, "{\"name\": \"general\", \"publish\": 1}").getString("log.status"))
          .isEqualTo("Published");
      assertThat(published(pg, "postgresql-general"))
          .contains("pg marker")
          .doesNotContain("SHOW log_statement");
    } finally {
      TENANT.as().delete(TENANT.path("instances/" + pg));
    }
  }
}
