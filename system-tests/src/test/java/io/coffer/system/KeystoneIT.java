package io.coffer.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.testing.ServiceProcess;
import io.coffer.testing.openstack.RealOpenStack;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API in {@code keystone} mode against the real Keystone (Debian's, on loopback): tokens of
 * real users in real projects, the service catalog, revocation, Keystone hanging and coming back,
 * and the unmodified OpenStack and legacy trove clients authenticating with passwords.
 */
class KeystoneIT {

  private static final int PORT = RealOpenStack.API_PORT;
  private static final Duration CACHE_TIME = Duration.ofSeconds(3);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static RealOpenStack keystone;
  private static ServiceProcess api;

  @BeforeAll
  static void start() {
    Suite.start();
    keystone = RealOpenStack.get();
    api =
        ServiceProcess.start(
                "api-service",
                Map.of(
                    "quarkus.http.port",
                    Integer.toString(PORT),
                    "coffer.api.auth.strategy",
                    "keystone",
                    "coffer.api.auth.keystone.auth-url",
                    keystone.authUrl(),
                    "coffer.api.auth.keystone.username",
                    "coffer",
                    "coffer.api.auth.keystone.password",
                    keystone.password("coffer"),
                    "coffer.api.auth.keystone.cache-time",
                    CACHE_TIME.toSeconds() + "s",
                    "coffer.api.auth.keystone.timeout",
                    TIMEOUT.toSeconds() + "s",
                    "coffer.api.heartbeat-expiry",
                    Suite.HEARTBEAT_EXPIRY.toSeconds() + "s"))
            .awaitReady("http://127.0.0.1:" + PORT + "/q/health/ready", Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static RequestSpecification as(String token) {
    return given().port(PORT).header("X-Auth-Token", token);
  }

  private static String path(String project, String rest) {
    return "/v1.0/" + keystone.projectId(project) + rest;
  }

  @Test
  void aMemberWorksInItsOwnProjectAndIsForbiddenInAnother() {
    String alpha = keystone.token("alpha");

    as(alpha).get(path("alpha", "/instances")).then().statusCode(200);
    as(alpha).get(path("alpha", "/flavors")).then().statusCode(200);
    as(alpha)
        .get(path("beta", "/instances"))
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo(
                "User with tenant id "
                    + keystone.projectId("alpha")
                    + " cannot access this resource."));
    // an admin token of the admin project reaches any project
    as(keystone.token("admin")).get(path("beta", "/instances")).then().statusCode(200);
  }

  @Test
  void adminOnlyRoutesRefuseAMemberWithTrovesMessage() {
    // Trove answers 401 here; Coffer a 403 with the same message (docs/TROVE-COMPATIBILITY.md)
    String alpha = keystone.token("alpha");
    as(alpha)
        .get(path("alpha", "/mgmt/instances"))
        .then()
        .statusCode(403)
        .body("forbidden.message", equalTo("User does not have admin privileges."));
    as(alpha)
        .contentType("application/json")
        .body("{\"quotas\": {\"instances\": 50}}")
        .put(path("alpha", "/mgmt/quotas/" + keystone.projectId("alpha")))
        .then()
        .statusCode(403);
    as(keystone.token("admin")).get(path("admin", "/mgmt/instances")).then().statusCode(200);
  }

  @Test
  void invalidAndRevokedTokensAreRefusedAndTheCacheExpires() {
    as("not-a-token").get(path("alpha", "/instances")).then().statusCode(401);
    given().port(PORT).get(path("alpha", "/instances")).then().statusCode(401);

    // revoked before it was ever seen: refused at once
    String unseen = keystone.newToken("alpha");
    keystone.revoke(unseen);
    as(unseen).get(path("alpha", "/instances")).then().statusCode(401);

    // revoked after it was validated: trusted until the cache time is over, then refused
    String seen = keystone.newToken("alpha");
    as(seen).get(path("alpha", "/instances")).then().statusCode(200);
    keystone.revoke(seen);
    long revokedAt = System.nanoTime();
    await()
        .atMost(CACHE_TIME.plusSeconds(5))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> as(seen).get(path("alpha", "/instances")).statusCode() == 401);
    long after = Duration.ofNanos(System.nanoTime() - revokedAt).toMillis();
    assertThat(after).isLessThanOrEqualTo(CACHE_TIME.plusSeconds(5).toMillis());
  }

  @Test
  void keystoneHangingGives503WithinTheTimeoutAndServiceResumesWhenItAnswers() throws Exception {
    String fresh = keystone.newToken("beta");
    List<Long> keystonePids = keystonePids();
    signal(keystonePids, "STOP");
    try {
      long t0 = System.nanoTime();
      as(fresh)
          .get(path("beta", "/instances"))
          .then()
          .statusCode(503)
          .body("serviceUnavailable.message", equalTo("The identity service is unavailable."));
      long ms = Duration.ofNanos(System.nanoTime() - t0).toMillis();
      // at most one renewal of the service token and one validation, each bounded by the timeout
      assertThat(ms).isLessThan(2 * TIMEOUT.toMillis() + 2000);
    } finally {
      signal(keystonePids, "CONT");
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> as(fresh).get(path("beta", "/instances")).statusCode() == 200);

    // Keystone stopped altogether: refused connections are a 503 too, then it comes back
    String another = keystone.newToken("beta");
    signal(keystonePids, "KILL");
    await().atMost(Duration.ofSeconds(10)).until(() -> keystonePids().isEmpty());
    as(another).get(path("beta", "/instances")).then().statusCode(503);
    RealOpenStack.script("up", "--test");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> as(another).get(path("beta", "/instances")).statusCode() == 200);
  }

  /** The uWSGI processes serving the test Keystone (master and workers). */
  private static List<Long> keystonePids() throws Exception {
    Path pidFile = Path.of("/tmp/coffer-test/openstack/run/keystone.pid");
    if (!Files.exists(pidFile)) {
      return List.of();
    }
    long master = Long.parseLong(Files.readString(pidFile).trim());
    List<Long> pids = new ArrayList<>();
    ProcessHandle.of(master)
        .filter(ProcessHandle::isAlive)
        .ifPresent(
            h -> {
              pids.add(h.pid());
              h.descendants().forEach(d -> pids.add(d.pid()));
            });
    return pids;
  }

  private static void signal(List<Long> pids, String signal) throws Exception {
    for (long pid : pids) {
      new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
    }
  }

  /** Runs a client as a Keystone user, with the environment an openrc file gives. */
  private static Cli.Run client(String user, String... args) throws Exception {
    return Cli.run(
        Map.of(
            "OS_AUTH_URL",
            keystone.authUrl(),
            "OS_IDENTITY_API_VERSION",
            "3",
            "OS_USERNAME",
            user,
            "OS_PASSWORD",
            keystone.password(user),
            "OS_PROJECT_NAME",
            user,
            "OS_USER_DOMAIN_NAME",
            "Default",
            "OS_PROJECT_DOMAIN_NAME",
            "Default",
            "OS_REGION_NAME",
            "RegionOne"),
        List.of(args));
  }

  @Test
  void theClientsAuthenticateWithPasswordsAndFindCofferInTheCatalog() throws Exception {
    JsonNode created =
        JSON.readTree(
            client(
                    "alpha",
                    "openstack",
                    "database",
                    "instance",
                    "create",
                    "ks-db",
                    "--flavor",
                    "1",
                    "--size",
                    "1",
                    "--datastore",
                    "postgresql",
                    "--datastore-version",
                    "15",
                    "--databases",
                    "app",
                    "--users",
                    "erin:erin-Secret1",
                    "-f",
                    "json")
                .out());
    String id = created.get("id").asText();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              JsonNode show =
                  JSON.readTree(
                      client("alpha", "openstack", "database", "instance", "show", id, "-f", "json")
                          .out());
              return show.path("status").asText().equals("ACTIVE")
                  && show.path("operating_status").asText().equals("HEALTHY");
            });
    JsonNode show =
        JSON.readTree(
            client("alpha", "openstack", "database", "instance", "show", id, "-f", "json").out());
    String ip =
        show.path("ip").isArray() ? show.path("ip").get(0).asText() : show.path("ip").asText();
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:postgresql://" + ip + ":5432/app?connectTimeout=5", "erin", "erin-Secret1")) {
      assertThat(c.isValid(5)).isTrue();
    }

    // the legacy trove client, with the same credentials
    String legacy = client("alpha", "trove", "list").out();
    assertThat(legacy).contains(id).contains("ks-db").contains("ACTIVE");
    // another project sees nothing of it
    assertThat(client("beta", "openstack", "database", "instance", "list", "-f", "json").out())
        .doesNotContain(id);
    assertThat(client("beta", "trove", "list").out()).doesNotContain(id);

    // its logs go to alpha's own Swift account, where the client reads them with its credentials
    client("alpha", "openstack", "database", "log", "set", id, "general", "--enable");
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + ip + ":5432/app?connectTimeout=5", "erin", "erin-Secret1");
        java.sql.Statement st = c.createStatement()) {
      st.execute("SELECT 'keystone log marker'");
    }
    JsonNode published =
        JSON.readTree(
            client(
                    "alpha",
                    "openstack",
                    "database",
                    "log",
                    "set",
                    id,
                    "general",
                    "--publish",
                    "-f",
                    "json")
                .out());
    assertThat(published.path("status").asText()).isEqualTo("Published");
    assertThat(published.path("container").asText()).isEqualTo("database_logs");
    assertThat(client("alpha", "openstack", "database", "log", "tail", id, "general").out())
        .contains("keystone log marker");
    Path saved = Files.createTempFile("coffer-log-", ".log");
    try {
      client(
          "alpha",
          "openstack",
          "database",
          "log",
          "save",
          id,
          "general",
          "--file",
          saved.toString());
      assertThat(Files.readString(saved)).contains("keystone log marker");
    } finally {
      Files.deleteIfExists(saved);
    }
    // the objects are alpha's: beta's account has no such container
    assertThat(keystone.objects("beta", "database_logs")).isEmpty();
    assertThat(keystone.objects("alpha", "database_logs"))
        .anyMatch(o -> o.startsWith(id + "/postgresql-general/"));

    client("alpha", "openstack", "database", "instance", "delete", id);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                !client("alpha", "openstack", "database", "instance", "list", "-f", "json")
                    .out()
                    .contains(id));
  }

  @Test
  void theSlowQueryLogIsPublishedToTheTenantsSwiftAndReadWithTheClient() throws Exception {
    JsonNode created =
        JSON.readTree(
            client(
                    "alpha",
                    "openstack",
                    "database",
                    "instance",
                    "create",
                    "ks-maria",
                    "--flavor",
                    "1",
                    "--size",
                    "1",
                    "--datastore",
                    "mariadb",
                    "--datastore-version",
                    "10.11",
                    "--databases",
                    "app",
                    "--users",
                    "fred:fred-Secret1",
                    "-f",
                    "json")
                .out());
    String id = created.get("id").asText();
    try {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  JSON.readTree(
                          client(
                                  "alpha",
                                  "openstack",
                                  "database",
                                  "instance",
                                  "show",
                                  id,
                                  "-f",
                                  "json")
                              .out())
                      .path("operating_status")
                      .asText()
                      .equals("HEALTHY"));
      JsonNode show =
          JSON.readTree(
              client("alpha", "openstack", "database", "instance", "show", id, "-f", "json").out());
      String ip =
          show.path("ip").isArray() ? show.path("ip").get(0).asText() : show.path("ip").asText();
      client("alpha", "openstack", "database", "log", "set", id, "slow_query", "--enable");
      try (Connection c =
              DriverManager.getConnection(
                  "jdbc:mariadb://" + ip + ":3306/app?connectTimeout=5000",
                  "fred",
                  "fred-Secret1");
          java.sql.Statement st = c.createStatement()) {
        st.execute("SET SESSION long_query_time = 0.1");
        st.execute("SELECT SLEEP(0.3), 'slow marker'");
      }
      client("alpha", "openstack", "database", "log", "set", id, "slow_query", "--publish");
      assertThat(client("alpha", "openstack", "database", "log", "tail", id, "slow_query").out())
          .contains("slow marker");
      Path saved = Files.createTempFile("coffer-slow-", ".log");
      try {
        client(
            "alpha",
            "openstack",
            "database",
            "log",
            "save",
            id,
            "slow_query",
            "--file",
            saved.toString());
        assertThat(Files.readString(saved)).contains("slow marker");
      } finally {
        Files.deleteIfExists(saved);
      }
      // another project reaches neither the instance's logs nor alpha's objects
      as(keystone.token("beta"))
          .get(path("beta", "/instances/" + id + "/log"))
          .then()
          .statusCode(404);
      assertThat(
              keystone
                  .send(
                      java.net.http.HttpRequest.newBuilder(
                              java.net.URI.create(
                                  keystone.swiftAccount("alpha") + "/database_logs"))
                          .header("X-Auth-Token", keystone.token("beta"))
                          .GET())
                  .statusCode())
          .isEqualTo(403);
    } finally {
      client("alpha", "openstack", "database", "instance", "delete", id);
    }
  }
}
