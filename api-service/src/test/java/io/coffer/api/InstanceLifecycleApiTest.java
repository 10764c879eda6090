package io.coffer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.coffer.model.status.InstanceTask;
import io.coffer.testing.Datastores;
import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.coffer.testing.Projects;
import io.coffer.testing.RabbitProbe;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Instance listing, paging, update, delete and actions through the API. */
@QuarkusTest
class InstanceLifecycleApiTest {

  private static String pg;

  @BeforeAll
  static void datastore() {
    pg = Api.pgVersion();
  }

  private static String active(Api api) {
    return Fixtures.instance(api.project).datastoreVersion(pg).insert();
  }

  private static int task(String id) {
    return (Integer) Db.value("SELECT task_id FROM instances WHERE id = ?", id);
  }

  @Test
  void listingPagesByIdWithANextLink() {
    Api api = new Api();
    for (int i = 0; i < 5; i++) {
      active(api);
    }
    String next =
        api.as()
            .get(api.path("instances?limit=2"))
            .then()
            .statusCode(200)
            .body("instances", hasSize(2))
            .body("links[0].rel", equalTo("next"))
            .body("links[0].href", startsWith("https://"))
            .extract()
            .path("links[0].href");
    String marker = next.substring(next.indexOf("marker=") + 7);
    api.as()
        .get(api.path("instances?limit=2&marker=" + marker))
        .then()
        .statusCode(200)
        .body("instances", hasSize(2));
    api.as()
        .get(api.path("instances?limit=20"))
        .then()
        .statusCode(200)
        .body("instances", hasSize(5))
        .body("links", nullValue());
    api.as()
        .get(api.path("instances/detail"))
        .then()
        .statusCode(200)
        .body("instances[0].created", org.hamcrest.Matchers.notNullValue());
  }

  @Test
  void anActiveInstanceShowsHealthyAndASilentOneShowsError() {
    Api api = new Api();
    String fresh = active(api);
    String silent =
        Fixtures.instance(api.project)
            .datastoreVersion(pg)
            .service(0x21, "healthy", Instant.now().minusSeconds(120))
            .insert();
    api.as()
        .get(api.path("instances/" + fresh))
        .then()
        .body("instance.status", equalTo("ACTIVE"))
        .body("instance.operating_status", equalTo("HEALTHY"));
    api.as()
        .get(api.path("instances/" + silent))
        .then()
        .body("instance.status", equalTo("ACTIVE"))
        .body("instance.operating_status", equalTo("ERROR"));
  }

  @Test
  void theConfigurationShowsTheFlavorDefaults() {
    Api api = new Api();
    String id = active(api);
    api.as()
        .get(api.path("instances/" + id + "/configuration"))
        .then()
        .statusCode(200)
        .body("instance.configuration.shared_buffers", equalTo("128MB"))
        .body("instance.configuration.max_connections", equalTo(100));
  }

  @Test
  void projectsDoNotSeeEachOthersInstances() {
    Api mine = new Api();
    Api theirs = new Api();
    String id = active(theirs);
    mine.as().get(mine.path("instances/" + id)).then().statusCode(404);
    mine.as().get(mine.path("instances")).then().body("instances", hasSize(0));
    mine.as().delete(mine.path("instances/" + id)).then().statusCode(404);
  }

  @Test
  void renameIsImmediateAndOnlyOneOtherAttributeIsAllowed() {
    Api api = new Api();
    String id = active(api);
    api.as()
        .body("{\"instance\": {\"name\": \"renamed\"}}")
        .put(api.path("instances/" + id))
        .then()
        .statusCode(202);
    assertThat(Db.value("SELECT name FROM instances WHERE id = ?", id)).isEqualTo("renamed");
    api.as()
        .body("{\"instance\": {\"replica_of\": null, \"configuration\": null}}")
        .put(api.path("instances/" + id))
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("Only one attribute (except 'name') is allowed to update."));
    api.as()
        .body("{\"instance\": {\"replica_of\": null}}")
        .put(api.path("instances/" + id))
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Instance " + id + " is not a replica."));
  }

  @Test
  void aDatastoreUpgradeIsRefusedUpFrontAndChangesNothing() {
    Api api = new Api();
    String ds = "ds-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    String v1 = Datastores.version(ds, "1", "postgresql", true);
    Datastores.version(ds, "2", "postgresql", true);
    String id = Fixtures.instance(api.project).datastoreVersion(v1).insert();
    api.as()
        .body("{\"instance\": {\"datastore_version\": \"2\"}}")
        .put(api.path("instances/" + id))
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            startsWith("Upgrading instance " + id + " to datastore version '2' is not supported"));
    assertThat(Db.value("SELECT datastore_version_id FROM instances WHERE id = ?", id))
        .isEqualTo(v1);
    assertThat(Db.value("SELECT task_id FROM instances WHERE id = ?", id)).isEqualTo(1);
    // naming the version it runs changes nothing and is accepted, as in Trove
    api.as()
        .body("{\"instance\": {\"datastore_version\": \"1\"}}")
        .put(api.path("instances/" + id))
        .then()
        .statusCode(202);
    assertThat(Db.value("SELECT task_id FROM instances WHERE id = ?", id)).isEqualTo(1);
  }

  @Test
  void deleteReleasesTheQuotaAndQueuesDeleteInstance() {
    Api api = new Api();
    String id =
        api.as()
            .body(Api.createBody("gone", 1))
            .post(api.path("instances"))
            .then()
            .statusCode(200)
            .extract()
            .path("instance.id");
    // a building instance is deleted at once (the taskmanager waits for the create to finish)
    try (RabbitProbe tasks = RabbitProbe.bind("taskmanager-api-test")) {
      api.as().delete(api.path("instances/" + id)).then().statusCode(202);
      assertThat(tasks.awaitOne(Duration.ofSeconds(10)).envelope().method())
          .isEqualTo("delete_instance");
    }
    assertThat(task(id)).isEqualTo(InstanceTask.DELETING.code());
    assertThat(
            Db.value(
                "SELECT in_use FROM quota_usages WHERE tenant_id = ? AND resource = 'instances'",
                api.project))
        .isEqualTo(0);
    assertThat(
            Db.value(
                "SELECT in_use FROM quota_usages WHERE tenant_id = ? AND resource = 'volumes'",
                api.project))
        .isEqualTo(0);
  }

  @Test
  void restartSetsRebootingAndIsRefusedWhileBusy() {
    Api api = new Api();
    String id = active(api);
    api.as()
        .body("{\"restart\": {}}")
        .post(api.path("instances/" + id + "/action"))
        .then()
        .statusCode(202);
    assertThat(task(id)).isEqualTo(InstanceTask.REBOOTING.code());
    api.as().get(api.path("instances/" + id)).then().body("instance.status", equalTo("REBOOT"));
    api.as()
        .body("{\"restart\": {}}")
        .post(api.path("instances/" + id + "/action"))
        .then()
        .statusCode(422)
        .body(
            "unprocessableEntity.message",
            equalTo(
                "Instance "
                    + id
                    + " is not currently available for an action to be performed (status was REBOOT)."));
  }

  @Test
  void resizeChecks() {
    Api api = new Api();
    String id = active(api);
    String url = api.path("instances/" + id + "/action");
    api.as()
        .body("{\"resize\": {\"flavorRef\": \"1\"}}")
        .post(url)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("The new flavor id must be different than the current flavor id of '1'."));
    api.as().body("{\"resize\": {\"flavorRef\": \"nope\"}}").post(url).then().statusCode(400);
    api.as()
        .body("{\"resize\": {\"volume\": {\"size\": 1}}}")
        .post(url)
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("The new volume 'size' must be larger than the current volume size of '1'."));
    api.as().body("{\"resize\": {\"volume\": {\"size\": 11}}}").post(url).then().statusCode(413);
    api.as().body("{\"resize\": {\"volume\": {\"size\": 3}}}").post(url).then().statusCode(202);
    assertThat(task(id)).isEqualTo(InstanceTask.RESIZING.code());
    String other = active(api);
    api.as()
        .body("{\"resize\": {\"flavorRef\": 2}}")
        .post(api.path("instances/" + other + "/action"))
        .then()
        .statusCode(202);
  }

  @Test
  void replicaActionsNeedReplicas() {
    Api api = new Api();
    String id = active(api);
    String url = api.path("instances/" + id + "/action");
    api.as()
        .body("{\"promote_to_replica_source\": {}}")
        .post(url)
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Instance " + id + " is not a replica."));
    api.as()
        .body("{\"eject_replica_source\": {}}")
        .post(url)
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Instance " + id + " is not a replica source."));
  }

  @Test
  void unknownAndEmptyActionsAreBadRequests() {
    Api api = new Api();
    String id = active(api);
    String url = api.path("instances/" + id + "/action");
    api.as()
        .body("{\"explode\": {}}")
        .post(url)
        .then()
        .statusCode(400)
        .body("badRequest.code", equalTo(400));
    api.as().body("{}").post(url).then().statusCode(400);
    api.as().body("{\"restart\": {}, \"resize\": {}}").post(url).then().statusCode(400);
  }

  @Test
  void resetStatusIsForAdminsUnlessForceDelete() {
    Api api = new Api();
    String id = active(api);
    api.as()
        .body("{\"reset_status\": {}}")
        .post(api.path("instances/" + id + "/action"))
        .then()
        .statusCode(403);
    Api.admin()
        .body("{\"reset_status\": {}}")
        .post(api.path("instances/" + id + "/action"))
        .then()
        .statusCode(202);
    assertThat(
            Db.value("SELECT status_description FROM service_statuses WHERE instance_id = ?", id))
        .isEqualTo("unknown");
  }

  @Test
  void replicaCreateRules() {
    Api api = new Api();
    String source = active(api);
    String base = "{\"instance\": {\"name\": \"r\", \"replica_of\": \"" + source + "\"";
    api.as()
        .body(base + ", \"volume\": {\"size\": 2}}}")
        .post(api.path("instances"))
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Cannot specify volume when creating replicas."));
    api.as()
        .body(base + ", \"datastore\": {\"type\": \"postgresql\"}}}")
        .post(api.path("instances"))
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Cannot specify datastore when creating replicas."));
    api.as()
        .body(base + ", \"users\": [{\"name\": \"u\", \"password\": \"p\"}]}}")
        .post(api.path("instances"))
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Cannot create a replica with users or databases."));
    String id =
        api.as()
            .body(base + ", \"replica_count\": 2}}")
            .post(api.path("instances"))
            .then()
            .statusCode(200)
            .body("instance.name", equalTo("r-2"))
            .body("instance.replica_of.id", equalTo(source))
            .extract()
            .path("instance.id");
    assertThat(id).isNotNull();
    api.as().get(api.path("instances/" + source)).then().body("instance.replicas", hasSize(2));
    api.as()
        .delete(api.path("instances/" + source))
        .then()
        .statusCode(403)
        .body("forbidden.message", equalTo("Detach replicas before deleting replica source."));
  }

  @Test
  void createErrors() {
    Api api = new Api();
    api.as()
        .body(Api.createBody("big", 11))
        .post(api.path("instances"))
        .then()
        .statusCode(413)
        .body(
            "overLimit.message",
            equalTo("Volume 'size' cannot exceed maximum of 10 GB, 11 cannot be accepted."));
    api.as()
        .body("{\"instance\": {\"name\": \"x\", \"flavorRef\": \"99\", \"volume\": {\"size\": 1}}}")
        .post(api.path("instances"))
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Flavor 99 could not be found."));
    api.as()
        .body(
            "{\"instance\": {\"name\": \"x\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1}, \"datastore\": {\"type\": \"nosuch\"}}}")
        .post(api.path("instances"))
        .then()
        .statusCode(404);
    api.as()
        .body(
            "{\"instance\": {\"name\": \"x\", \"flavorRef\": \"1\", \"datastore\": {\"type\": \"postgresql\"}}}")
        .post(api.path("instances"))
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Volume size was not specified."));
    api.as()
        .body(
            "{\"instance\": {\"name\": \"x\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1}, \"locality\": \"near\"}}")
        .post(api.path("instances"))
        .then()
        .statusCode(400);
    api.as()
        .body(
            "{\"instance\": {\"name\": \"x\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1}, \"restorePoint\": {\"backupRef\": \""
                + java.util.UUID.randomUUID()
                + "\"}}}")
        .post(api.path("instances"))
        .then()
        .statusCode(404);
    api.as()
        .body(
            "{\"instance\": {\"name\": \"x\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1}, \"databases\": [{\"name\": \"postgres\"}]}}")
        .post(api.path("instances"))
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("'postgres' is a reserved database name."));
    assertThat(Db.value("SELECT count(*) FROM instances WHERE tenant_id = ?", api.project))
        .isEqualTo(0L);
  }

  @Test
  void anUnknownProjectPathWithAdminTokenListsNothing() {
    Api.admin()
        .get("/v1.0/" + Projects.fresh() + "/instances")
        .then()
        .statusCode(200)
        .body("instances", hasSize(0));
  }
}
