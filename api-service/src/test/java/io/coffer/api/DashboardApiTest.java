package io.coffer.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The operators' dashboard data and page, and the instance metrics behind it. */
@QuarkusTest
class DashboardApiTest {

  @Test
  void theDataIsForAdministratorsOnly() {
    given().get("/dashboard/api/instances").then().statusCode(401);
    given()
        .header("X-Auth-Token", "not-a-token")
        .get("/dashboard/api/instances")
        .then()
        .statusCode(401);
    Api tenant = new Api();
    tenant
        .as()
        .get("/dashboard/api/instances")
        .then()
        .statusCode(403)
        .body("forbidden.message", equalTo("The dashboard is for administrators."));
    // the page itself is static: it asks for a token before it shows anything
    given()
        .get("/dashboard/")
        .then()
        .statusCode(200)
        .body(containsString("Administrator token"))
        .body(containsString("dashboard.js"));
  }

  @Test
  void dashboardWithoutTheSlashRedirectsToThePageKeepingTheQuery() {
    given()
        .redirects()
        .follow(false)
        .get("/dashboard")
        .then()
        .statusCode(302)
        .header("Location", equalTo("/dashboard/"));
    given()
        .redirects()
        .follow(false)
        .get("/dashboard?status=ERROR")
        .then()
        .statusCode(302)
        .header("Location", equalTo("/dashboard/?status=ERROR"));
    given().get("/dashboard").then().statusCode(200).body(containsString("dashboard.js"));
  }

  @Test
  void instancesOfEveryProjectWithTheirHealth() {
    String pg = Api.pgVersion();
    Api a = new Api();
    Api b = new Api();
    String healthy = Fixtures.instance(a.project).datastoreVersion(pg).name("alpha").insert();
    String silent =
        Fixtures.instance(b.project)
            .datastoreVersion(pg)
            .name("bravo")
            .service(0x21, "healthy", Instant.now().minus(Duration.ofMinutes(10)))
            .insert();
    Db.update(
        "INSERT INTO instance_faults (id, instance_id, message, details, created, updated)"
            + " VALUES (?, ?, 'disk full', 'FATAL: could not extend file: No space left', ?, ?)",
        UUID.randomUUID().toString(),
        silent,
        Timestamp.from(Instant.now()),
        Timestamp.from(Instant.now()));

    JsonPath data =
        Api.admin().get("/dashboard/api/instances").then().statusCode(200).extract().jsonPath();

    Map<String, Object> h = find(data.getList("instances"), healthy);
    Map<String, Object> s = find(data.getList("instances"), silent);
    assertThat(h)
        .containsEntry("name", "alpha")
        .containsEntry("project", a.project)
        .containsEntry("datastore", "postgresql")
        .containsEntry("version", "15")
        .containsEntry("flavor", "m1.tiny")
        .containsEntry("status", "ACTIVE")
        .containsEntry("operating_status", "HEALTHY")
        .containsEntry("silent", false);
    assertThat(s)
        .containsEntry("project", b.project)
        .containsEntry("operating_status", "ERROR")
        .containsEntry("silent", true)
        .containsEntry("fault", "disk full")
        // operators see the cause behind the tenant's message
        .containsEntry("fault_details", "FATAL: could not extend file: No space left");
    assertThat(((Number) s.get("heartbeat_age")).longValue()).isGreaterThanOrEqualTo(600);
    assertThat(data.getInt("heartbeat_expiry")).isEqualTo(90);
  }

  @Test
  void runningBackupsComeFirstAndFailuresCarryTheirReason() {
    String pg = Api.pgVersion();
    Api a = new Api();
    String instance = Fixtures.instance(a.project).datastoreVersion(pg).insert();
    Instant old = Instant.now().minus(Duration.ofDays(400));
    // created long ago but updated now: the page holds the newest 500, whatever else the
    // database already has
    String failed = backup(a.project, instance, "FAILED", "the guest stopped reporting", old);
    String running = backup(a.project, instance, "BUILDING", null, old);

    List<Map<String, Object>> backups =
        Api.admin()
            .get("/dashboard/api/backups")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("backups");

    int r = index(backups, running);
    int f = index(backups, failed);
    assertThat(r).isLessThan(f);
    assertThat(backups.get(f)).containsEntry("fail_reason", "the guest stopped reporting");
    assertThat(((Number) backups.get(r).get("age")).longValue())
        .isGreaterThan(Duration.ofDays(399).toSeconds());
  }

  @Test
  void theControlPlaneShowsThisProcessAndTheQueues() {
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                Api.admin()
                    .get("/dashboard/api/services")
                    .then()
                    .statusCode(200)
                    .body(
                        "processes.find { it.pid == " + ProcessHandle.current().pid() + " }.state",
                        equalTo("ready"))
                    .body(
                        "processes.find { it.pid == "
                            + ProcessHandle.current().pid()
                            + " }.service",
                        equalTo("api"))
                    .body("queues.queue", org.hamcrest.Matchers.hasItem("coffer.dead-letter"))
                    .body(
                        "queues.find { it.queue == 'taskmanager-api-test' }.messages",
                        org.hamcrest.Matchers.greaterThanOrEqualTo(0)));
  }

  @Test
  void instanceCountsAreExported() {
    String pg = Api.pgVersion();
    Fixtures.instance(new Api().project).datastoreVersion(pg).insert();
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                given()
                    .get("/q/metrics")
                    .then()
                    .body(
                        containsString(
                            "coffer_instances{datastore=\"postgresql\",status=\"ACTIVE\"}"))
                    .body(containsString("coffer_instances_operating{"))
                    .body(containsString("coffer_instances_silent ")));
  }

  private static String backup(
      String project, String instance, String state, String reason, Instant created) {
    String id = UUID.randomUUID().toString();
    Db.update(
        "INSERT INTO backups (id, name, tenant_id, state, instance_id, created, updated,"
            + " fail_reason) VALUES (?, 'b', ?, ?, ?, ?, ?, ?)",
        id,
        project,
        state,
        instance,
        Timestamp.from(created),
        Timestamp.from(Instant.now()),
        reason);
    return id;
  }

  private static Map<String, Object> find(List<Map<String, Object>> rows, String id) {
    return rows.stream().filter(r -> id.equals(r.get("id"))).findFirst().orElseThrow();
  }

  private static int index(List<Map<String, Object>> rows, String id) {
    for (int i = 0; i < rows.size(); i++) {
      if (id.equals(rows.get(i).get("id"))) {
        return i;
      }
    }
    throw new AssertionError("backup " + id + " is not listed");
  }
}
