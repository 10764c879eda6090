package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.coffer.testing.Db;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Automated backups on a real PostgreSQL instance, with a backup "day" of 15 s: one per window, the
 * expired ones deleted, none after the policy is removed.
 */
class AutomatedBackupsIT {

  private static final Duration DAY = Duration.ofSeconds(15);
  private static final Tenant TENANT = new Tenant();
  private static final Tenant OTHER = new Tenant();

  @BeforeAll
  static void shortDays() {
    Suite.start();
    Suite.reconfigure(
        "taskmanager-service",
        Map.of(
            "coffer.taskmanager.automated-backups.day",
            DAY.toSeconds() + "s",
            "coffer.taskmanager.automated-backups.check",
            "1s"));
  }

  @AfterAll
  static void restore() {
    Suite.restore("taskmanager-service");
  }

  private static long automated(String id, boolean deleted) {
    return ((Number)
            Db.value(
                "SELECT count(*) FROM backups WHERE instance_id = ? AND automated AND deleted = ?",
                id,
                deleted))
        .longValue();
  }

  @Test
  void backupsAreTakenEachWindowAndExpireAfterTheRetention() throws Exception {
    String id = TENANT.createShop("automated", 1, "shop-Secret1", null);
    try {
      TENANT.await(id, "ACTIVE", Duration.ofSeconds(90));
      String path = TENANT.path("instances/" + id + "/backup_policy");
      for (String bad :
          List.of(
              "{\"backup_policy\": {\"window\": \"25:00\", \"retention_days\": 2}}",
              "{\"backup_policy\": {\"window\": \"03:00\", \"retention_days\": 0}}",
              "{\"backup_policy\": {\"window\": \"03:00\", \"retention_days\": 36}}",
              "{\"backup_policy\": {\"window\": \"03:00\"}}")) {
        TENANT
            .as()
            .body(bad)
            .put(path)
            .then()
            .statusCode(400)
            .body("badRequest.code", equalTo(400));
      }
      TENANT.as().get(path).then().statusCode(404);
      OTHER
          .as()
          .body("{\"backup_policy\": {\"window\": \"03:00\", \"retention_days\": 2}}")
          .put(OTHER.path("instances/" + id + "/backup_policy"))
          .then()
          .statusCode(404);

      TENANT
          .as()
          .body("{\"backup_policy\": {\"window\": \"03:00\", \"retention_days\": 2}}")
          .put(path)
          .then()
          .statusCode(200)
          .body("backup_policy.window", equalTo("03:00"))
          .body("backup_policy.retention_days", equalTo(2));

      // the first at once, then one a window; each completes on the real server
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> automated(id, false) + automated(id, true) >= 3);
      // retention: 2 days of 15 s — the oldest goes, the newer stay
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> automated(id, true) >= 1);
      List<String> kept =
          TENANT
              .as()
              .get(TENANT.path("backups?instance_id=" + id))
              .then()
              .statusCode(200)
              .extract()
              .path("backups.findAll { it.name.startsWith('automated-') }.status");
      assertThat(kept)
          .isNotEmpty()
          .allMatch(
              s ->
                  s.equals("COMPLETED")
                      || s.equals("NEW")
                      || s.equals("BUILDING")
                      || s.equals("SAVING"));
      assertThat(kept.size()).isLessThanOrEqualTo(4);
      assertThat(
              ((Number)
                      Db.value(
                          "SELECT count(*) FROM backups WHERE instance_id = ? AND automated"
                              + " AND state = 'FAILED'",
                          id))
                  .longValue())
          .isZero();
      TENANT
          .as()
          .get(path)
          .then()
          .statusCode(200)
          .body("backup_policy.last_started", org.hamcrest.Matchers.notNullValue());

      // without a policy, no more
      TENANT.as().delete(path).then().statusCode(204);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  ((Number)
                              Db.value(
                                  "SELECT count(*) FROM backups WHERE instance_id = ? AND automated"
                                      + " AND NOT deleted AND state NOT IN ('COMPLETED', 'FAILED')",
                                  id))
                          .longValue()
                      == 0);
      long total = automated(id, false) + automated(id, true);
      Thread.sleep(DAY.toMillis() + 3000);
      assertThat(automated(id, false) + automated(id, true)).isEqualTo(total);
    } finally {
      TENANT.as().delete(TENANT.path("instances/" + id));
    }
  }
}
