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
    return t.createInstance("f", datastore, version);
  }

  @Test
  void aBuildingInstanceIsForceDeleted() {
    Tenant t = new Tenant();
    String id = create(t, "postgresql", "15");
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

  /** A version whose manager no guest agent implements is refused at once; nothing is made. */
  @Test
  void anInstanceOfAnUnsupportedManagerIsRefusedAtOnce() {
    Tenant t = new Tenant();
    t.as()
        .body(
            "{\"instance\": {\"name\": \"cache\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1},"
                + " \"datastore\": {\"type\": \"redis\", \"version\": \"7\"}}}")
        .post(t.path("instances"))
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            org.hamcrest.Matchers.containsString("mariadb, mysql, postgresql"));
    t.as()
        .get(t.path("instances"))
        .then()
        .statusCode(200)
        .body("instances", org.hamcrest.Matchers.empty());
  }

  /**
   * Scenario 2 of the fault-injection suite: a guest stopped as soon as it starts (it never
   * reports) and a guest stopped while it starts (its prepare never runs) both end in ERROR with a
   * guest-timeout fault at the build deadline; deleting them leaves nothing behind.
   */
  @Test
  void instancesWhoseGuestNeverReportsOrHangsEndInErrorWithAFaultAndDeleteCleanly()
      throws Exception {
    Tenant t = new Tenant();
    String never = create(t, "postgresql", "15");
    String hangs = create(t, "postgresql", "15");
    for (String id : new String[] {never, hangs}) {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> Files.exists(Suite.INSTANCES.resolve(id).resolve("guest.pid")));
      Suite.signalGuest(id, "STOP");
    }
    long start = System.nanoTime();
    for (String id : new String[] {never, hangs}) {
      JsonPath failed = t.await(id, "ERROR", Duration.ofSeconds(120));
      assertThat(failed.getString("instance.fault.message"))
          .contains("did not become ACTIVE before its deadline")
          .contains("guest agent did not report");
    }
    System.out.printf(
        "2 guest never starts / hangs in prepare: ERROR %d ms after the create (deadline %s)%n",
        (System.nanoTime() - start) / 1_000_000, Suite.BUILD_TIMEOUT);
    // and delete cleans everything up, the stopped guest included
    for (String id : new String[] {never, hangs}) {
      t.as().delete(t.path("instances/" + id)).then().statusCode(202);
    }
    for (String id : new String[] {never, hangs}) {
      t.awaitDeleted(id, Duration.ofSeconds(60));
      FaultsIT.assertNothingLeft(id);
      t.as()
          .get(t.path("instances/" + id))
          .then()
          .statusCode(404)
          .body("itemNotFound.code", equalTo(404));
    }
  }
}
