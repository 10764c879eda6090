package io.coffer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MgmtApiTest {

  private static String pg;

  @BeforeAll
  static void datastore() {
    pg = Api.pgVersion();
  }

  @Test
  void adminsListAndShowInstancesOfEveryProject() {
    Api api = new Api();
    String id = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    Api.admin()
        .get("/v1.0/admin/mgmt/instances?project_id=" + api.project)
        .then()
        .statusCode(200)
        .body("instances[0].id", equalTo(id))
        .body("instances[0].tenant_id", equalTo(api.project))
        .body("instances[0].service_status", equalTo("HEALTHY"))
        .body("instances[0].deleted", equalTo(false));
    Api.admin()
        .get("/v1.0/admin/mgmt/instances/" + id)
        .then()
        .statusCode(200)
        .body("instance.guest_status.state_description", equalTo("healthy"))
        .body("instance.root_enabled", equalTo(null));
    Api.admin()
        .get("/v1.0/admin/mgmt/instances/" + id + "/root")
        .then()
        .statusCode(200)
        .body("root_history.enabled", equalTo("Never"))
        .body("root_history.user", equalTo("Nobody"));
  }

  @Test
  void adminActions() {
    Api api = new Api();
    String id = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    Api.admin()
        .body("{\"reboot\": {}}")
        .post("/v1.0/admin/mgmt/instances/" + id + "/action")
        .then()
        .statusCode(202);
    assertThat(Db.value("SELECT task_description FROM instances WHERE id = ?", id))
        .isEqualTo("Rebooting the instance.");
    Api.admin()
        .body("{\"reset-task-status\": {}}")
        .post("/v1.0/admin/mgmt/instances/" + id + "/action")
        .then()
        .statusCode(202);
    assertThat(Db.value("SELECT task_id FROM instances WHERE id = ?", id)).isEqualTo(1);
    // stopping the database asks the guest (outside any transaction): no guest answers here
    Api.admin()
        .body("{\"stop\": {}}")
        .post("/v1.0/admin/mgmt/instances/" + id + "/action")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            org.hamcrest.Matchers.startsWith("An error occurred communicating with the guest"));
    Api.admin()
        .body("{\"stop\": {}}")
        .post("/v1.0/admin/mgmt/instances/" + java.util.UUID.randomUUID() + "/action")
        .then()
        .statusCode(404);
    Api.admin()
        .body("{\"explode\": {}}")
        .post("/v1.0/admin/mgmt/instances/" + id + "/action")
        .then()
        .statusCode(400);
    Api.admin()
        .body("{\"migrate\": {}}")
        .post("/v1.0/admin/mgmt/instances/" + id + "/action")
        .then()
        .statusCode(501);
  }

  @Test
  void datastoreVersionsAndParameters() {
    String ds = "mgmt-" + UUID.randomUUID().toString().substring(0, 8);
    Api.admin()
        .body(
            "{\"version\": {\"name\": \"9\", \"datastore_name\": \""
                + ds
                + "\", \"datastore_manager\": \"postgresql\","
                + " \"active\": true, \"image\": \"00000000-0000-0000-0000-00000000beef\", \"packages\": [\"p1\"], \"default\": true}}")
        .post("/v1.0/admin/mgmt/datastore-versions")
        .then()
        .statusCode(202);
    String id =
        (String)
            Db.value(
                "SELECT v.id FROM datastore_versions v JOIN datastores d ON d.id = v.datastore_id WHERE d.name = ?",
                ds);
    Api.admin()
        .get("/v1.0/admin/mgmt/datastore-versions/" + id)
        .then()
        .statusCode(200)
        .body("version.datastore_name", equalTo(ds))
        .body("version.default", equalTo(true))
        .body("version.packages", equalTo(java.util.List.of("p1")));
    Api.admin()
        .get("/v1.0/admin/mgmt/datastore-versions")
        .then()
        .statusCode(200)
        .body("versions.id", hasItem(id));
    Api.admin()
        .body("{\"active\": false}")
        .patch("/v1.0/admin/mgmt/datastore-versions/" + id)
        .then()
        .statusCode(202);
    assertThat(Db.value("SELECT active FROM datastore_versions WHERE id = ?", id)).isEqualTo(false);
    // a manager no guest agent implements
    Api.admin()
        .body(
            "{\"version\": {\"name\": \"7\", \"datastore_name\": \""
                + ds
                + "\", \"datastore_manager\": \"redis\", \"active\": true}}")
        .post("/v1.0/admin/mgmt/datastore-versions")
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Datastore manager 'redis' is not supported; the supported managers are:"
                    + " mariadb, mysql, postgresql."));
    // duplicate
    Api.admin()
        .body(
            "{\"version\": {\"name\": \"9\", \"datastore_name\": \""
                + ds
                + "\", \"datastore_manager\": \"postgresql\", \"active\": true}}")
        .post("/v1.0/admin/mgmt/datastore-versions")
        .then()
        .statusCode(400);
    String params = "/v1.0/admin/mgmt/datastores/versions/" + id + "/parameters";
    Api.admin()
        .body(
            "{\"configuration-parameter\": {\"name\": \"work_mem\", \"data_type\": \"integer\", \"restart_required\": 0, \"min_size\": 64, \"max_size\": 1024}}")
        .post(params)
        .then()
        .statusCode(200)
        .body("name", equalTo("work_mem"))
        .body("max_size", equalTo(1024));
    Api.admin()
        .body(
            "{\"configuration-parameter\": {\"name\": \"x\", \"data_type\": \"integer\", \"restart_required\": 0}}")
        .post(params)
        .then()
        .statusCode(400);
    Api.admin().get(params + "/work_mem").then().statusCode(200).body("min_size", equalTo(64));
    Api.admin().delete(params + "/work_mem").then().statusCode(204);
    Api.admin().delete(params + "/work_mem").then().statusCode(400);
    Api.admin().delete("/v1.0/admin/mgmt/datastore-versions/" + id).then().statusCode(202);
  }

  @Test
  void flavorsCanBeManaged() {
    String name = "f-" + UUID.randomUUID().toString().substring(0, 8);
    String id =
        Api.admin()
            .body(
                "{\"flavor\": {\"name\": \""
                    + name
                    + "\", \"ram\": 1024, \"vcpus\": 2, \"disk\": 5}}")
            .post("/v1.0/admin/mgmt/flavors")
            .then()
            .statusCode(200)
            .body("flavor.ram", equalTo(1024))
            .extract()
            .path("flavor.str_id");
    Api api = new Api();
    api.as().get(api.path("flavors/" + id)).then().statusCode(200);
    Api.admin().delete("/v1.0/admin/mgmt/flavors/" + id).then().statusCode(202);
    api.as().get(api.path("flavors/" + id)).then().statusCode(404);
  }
}
