package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Configuration groups on a real PostgreSQL: a dynamic parameter applied live, a restart-required
 * one waiting for the restart, detach bringing the default back, invalid values refused.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigurationsIT {

  private static final Duration READY = Duration.ofSeconds(90);
  private static final Tenant TENANT = new Tenant();
  private static final String PASSWORD = "conf-Secret1";
  private static String id;
  private static String ip;
  private static String defaultWorkMem;
  private static String defaultSharedBuffers;
  private static String sortGroup;

  @BeforeAll
  static void instance() throws SQLException {
    Suite.start();
    id =
        TENANT
            .as()
            .body(
                "{\"instance\": {\"name\": \"tuned\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1},"
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
    ip = TENANT.await(id, "ACTIVE", READY).getString("instance.ip[0]");
    defaultWorkMem = show("work_mem");
    defaultSharedBuffers = show("shared_buffers");
  }

  @AfterAll
  static void cleanUp() {
    if (id != null) {
      TENANT.as().delete(TENANT.path("instances/" + id));
    }
  }

  /** What the database itself says the setting is. */
  private static String show(String setting) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + ip + ":5432/app?connectTimeout=5", "app", PASSWORD);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String group(String name, String values) {
    return TENANT
        .as()
        .body(
            "{\"configuration\": {\"name\": \""
                + name
                + "\", \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"},"
                + " \"values\": "
                + values
                + "}}")
        .post(TENANT.path("configurations"))
        .then()
        .statusCode(200)
        .extract()
        .path("configuration.id");
  }

  private static void attach(String groupId) {
    String value = groupId == null ? "null" : "\"" + groupId + "\"";
    TENANT
        .as()
        .body("{\"instance\": {\"configuration\": " + value + "}}")
        .put(TENANT.path("instances/" + id))
        .then()
        .statusCode(202);
  }

  @Test
  @Order(1)
  void invalidValuesAreRefusedWith422() {
    for (String values :
        new String[] {"{\"work_mem\": 1}", "{\"work_mem\": \"lots\"}", "{\"fsync_later\": 1}"}) {
      TENANT
          .as()
          .body(
              "{\"configuration\": {\"name\": \"bad\", \"datastore\": {\"type\": \"postgresql\","
                  + " \"version\": \"15\"}, \"values\": "
                  + values
                  + "}}")
          .post(TENANT.path("configurations"))
          .then()
          .statusCode(422)
          .body("unprocessableEntity.code", equalTo(422));
    }
  }

  @Test
  @Order(2)
  void aDynamicParameterIsAppliedLive() throws SQLException {
    assertThat(defaultWorkMem).isEqualTo("4MB");
    sortGroup = group("big-sorts", "{\"work_mem\": 8192}");

    attach(sortGroup);

    assertThat(show("work_mem")).isEqualTo("8MB");
    TENANT
        .as()
        .get(TENANT.path("instances/" + id))
        .then()
        .body("instance.status", equalTo("ACTIVE"))
        .body("instance.configuration.id", equalTo(sortGroup));
    TENANT
        .as()
        .get(TENANT.path("instances/" + id + "/configuration"))
        .then()
        .statusCode(200)
        .body("instance.configuration.work_mem", equalTo(8192));
    TENANT
        .as()
        .get(TENANT.path("configurations/" + sortGroup))
        .then()
        .body("configuration.instance_count", equalTo(1));
  }

  @Test
  @Order(3)
  void changingAnAttachedGroupReachesTheInstance() throws SQLException {
    TENANT
        .as()
        .body("{\"configuration\": {\"values\": {\"work_mem\": 16384}}}")
        .patch(TENANT.path("configurations/" + sortGroup))
        .then()
        .statusCode(200);

    assertThat(show("work_mem")).isEqualTo("16MB");
  }

  @Test
  @Order(4)
  void anAttachedGroupCannotBeDeletedAndDetachRestoresTheDefault() throws SQLException {
    TENANT
        .as()
        .delete(TENANT.path("configurations/" + sortGroup))
        .then()
        .statusCode(400)
        .body("badRequest.message", containsString("associated with one or more"));

    attach(null);

    assertThat(show("work_mem")).isEqualTo(defaultWorkMem);
    TENANT.as().delete(TENANT.path("configurations/" + sortGroup)).then().statusCode(202);
  }

  @Test
  @Order(5)
  void aRestartRequiredParameterWaitsForTheRestart() throws SQLException {
    String memoryGroup = group("bigger-cache", "{\"shared_buffers\": 4096}");

    attach(memoryGroup);

    TENANT
        .as()
        .get(TENANT.path("instances/" + id))
        .then()
        .body("instance.status", equalTo("RESTART_REQUIRED"));
    assertThat(show("shared_buffers")).isEqualTo(defaultSharedBuffers);

    TENANT
        .as()
        .body("{\"restart\": {}}")
        .post(TENANT.path("instances/" + id + "/action"))
        .then()
        .statusCode(202);
    TENANT.await(id, "ACTIVE", READY);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(show("shared_buffers")).isEqualTo("32MB"));

    attach(null);
    TENANT
        .as()
        .get(TENANT.path("instances/" + id))
        .then()
        .body("instance.status", equalTo("RESTART_REQUIRED"));
  }
}
