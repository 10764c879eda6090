package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Instances that do not make it: forced deletion while building, a guest that never reports. */
class FailuresIT {

  @BeforeAll
  static void suite() {
    Suite.start();
  }

  private static String create(Tenant t, String datastore, String version) {
    return t.as()
        .body(
            "{\"instance\": {\"name\": \"f\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1},"
                + " \"datastore\": {\"type\": \""
                + datastore
                + "\", \"version\": \""
                + version
                + "\"}}}")
        .post(t.path("instances"))
        .then()
        .statusCode(200)
        .extract()
        .path("instance.id");
  }

  @Test
  void aBuildingInstanceIsForceDeleted() {
    Tenant t = new Tenant();
    String id = create(t, "postgresql", "15");
    t.as().delete(t.path("instances/" + id)).then().statusCode(422);
    t.as()
        .body("{\"reset_status\": {}}")
        .post(t.path("instances/" + id + "/action"))
        .then()
        .statusCode(202);
    t.as().delete(t.path("instances/" + id)).then().statusCode(202);
    t.awaitDeleted(id, Duration.ofSeconds(60));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !Files.exists(Suite.INSTANCES.resolve(id)));
  }

  @Test
  void anInstanceWhoseGuestNeverReportsEndsInErrorWithAFault() {
    Tenant t = new Tenant();
    String id = create(t, "mariadb", "10.11");
    JsonPath failed = t.await(id, "ERROR", Duration.ofSeconds(120));
    assertThat(failed.getString("instance.fault.message"))
        .contains("did not become ACTIVE before its deadline");
    // and delete cleans it up
    t.as().delete(t.path("instances/" + id)).then().statusCode(202);
    t.awaitDeleted(id, Duration.ofSeconds(60));
    assertThat(Files.exists(Suite.INSTANCES.resolve(id))).isFalse();
    t.as()
        .get(t.path("instances/" + id))
        .then()
        .statusCode(404)
        .body("itemNotFound.code", equalTo(404));
  }
}
