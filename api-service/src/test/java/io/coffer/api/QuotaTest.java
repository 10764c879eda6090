package io.coffer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.coffer.testing.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Quotas hold under concurrent creates; a refused request leaves nothing reserved. */
@QuarkusTest
class QuotaTest {

  @BeforeAll
  static void datastore() {
    Api.pgVersion();
  }

  @Test
  void parallelCreatesNeverOvershootTheQuota() throws Exception {
    Api api = new Api();
    Api.admin()
        .body("{\"quotas\": {\"instances\": 3}}")
        .put(api.path("mgmt/quotas/" + api.project))
        .then()
        .statusCode(200)
        .body("quotas.instances", equalTo(3));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> codes = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        String name = "q" + i;
        codes.add(
            pool.submit(
                () ->
                    api.as()
                        .body(Api.createBody(name, 1))
                        .post(api.path("instances"))
                        .statusCode()));
      }
      int ok = 0;
      int over = 0;
      for (Future<Integer> f : codes) {
        int code = f.get();
        ok += code == 200 ? 1 : 0;
        over += code == 413 ? 1 : 0;
      }
      assertThat(ok).isEqualTo(3);
      assertThat(over).isEqualTo(7);
    } finally {
      pool.shutdown();
    }
    assertThat(Db.value("SELECT count(*) FROM instances WHERE tenant_id = ?", api.project))
        .isEqualTo(3L);
    api.as()
        .get(api.path("mgmt/quotas/" + api.project))
        .then()
        .statusCode(200)
        .body("quotas.find { it.resource == 'instances' }.in_use", equalTo(3))
        .body("quotas.find { it.resource == 'instances' }.reserved", equalTo(0))
        .body("quotas.find { it.resource == 'volumes' }.in_use", equalTo(3));
    api.as()
        .body(Api.createBody("one-more", 1))
        .post(api.path("instances"))
        .then()
        .statusCode(413)
        .body("overLimit.message", equalTo("Quota exceeded for resources: ['instances']."));
  }

  @Test
  void limitsShowTroveDefaults() {
    Api api = new Api();
    api.as()
        .get(api.path("limits"))
        .then()
        .statusCode(200)
        .body("limits[0].verb", equalTo("ABSOLUTE"))
        .body("limits[0].max_instances", equalTo(10))
        .body("limits[0].max_ram", equalTo(-1))
        .body("limits[0].max_backups", equalTo(50))
        .body("limits[0].max_volumes", equalTo(40));
  }

  @Test
  void quotaManagementRules() {
    Api api = new Api();
    api.as()
        .body("{\"quotas\": {\"instances\": 5}}")
        .put(api.path("mgmt/quotas/" + api.project))
        .then()
        .statusCode(403);
    Api.admin()
        .body("{\"quotas\": {\"instances\": -2}}")
        .put(api.path("mgmt/quotas/" + api.project))
        .then()
        .statusCode(400);
    Api.admin()
        .body("{\"quotas\": {\"cpus\": 2}}")
        .put(api.path("mgmt/quotas/" + api.project))
        .then()
        .statusCode(404);
    Api other = new Api();
    api.as()
        .get("/v1.0/" + api.project + "/mgmt/quotas/" + other.project)
        .then()
        .statusCode(403)
        .body(
            "forbidden.message", equalTo("Operation not allowed for tenant " + api.project + "."));
  }
}
