package io.coffer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.coffer.testing.Datastores;
import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConfigurationsApiTest {

  private static String pg;

  @BeforeAll
  static void rules() {
    pg = Api.pgVersion();
    Datastores.rule(pg, "work_mem", "integer", false, "64", "2147483647");
    Datastores.rule(pg, "shared_buffers", "integer", true, "16", "1073741823");
    Datastores.rule(pg, "autovacuum", "boolean", false, null, null);
    Datastores.rule(pg, "log_statement", "string", false, null, null);
    Datastores.rule(pg, "max_connections", "integer", true, "1", "10000");
  }

  private static String create(Api api, String values) {
    return api.as()
        .body(
            "{\"configuration\": {\"name\": \"c1\", \"values\": "
                + values
                + ", \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"}}}")
        .post(api.path("configurations"))
        .then()
        .statusCode(200)
        .extract()
        .path("configuration.id");
  }

  @Test
  void createShowListAndDelete() {
    Api api = new Api();
    String id =
        api.as()
            .body(
                "{\"configuration\": {\"name\": \"conf1\", \"description\": \"tuned\", \"values\": {\"work_mem\": 8192, \"autovacuum\": false},"
                    + " \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"}}}")
            .post(api.path("configurations"))
            .then()
            .statusCode(200)
            .body("configuration.name", equalTo("conf1"))
            .body("configuration.values.work_mem", equalTo(8192))
            .body("configuration.values.autovacuum", equalTo(false))
            .body("configuration.instance_count", equalTo(0))
            .body("configuration.datastore_name", equalTo("postgresql"))
            .body("configuration.datastore_version_name", equalTo("15"))
            .body("configuration.datastore_version_number", equalTo("15"))
            .extract()
            .path("configuration.id");
    api.as()
        .get(api.path("configurations"))
        .then()
        .statusCode(200)
        .body("configurations", hasSize(1))
        .body("configurations[0].id", equalTo(id));
    api.as()
        .get(api.path("configurations/" + id))
        .then()
        .statusCode(200)
        .body("configuration.description", equalTo("tuned"));
    api.as()
        .get(api.path("configurations/" + id + "/instances"))
        .then()
        .statusCode(200)
        .body("instances", hasSize(0));
    api.as().delete(api.path("configurations/" + id)).then().statusCode(202);
    api.as()
        .get(api.path("configurations/" + id))
        .then()
        .statusCode(404)
        .body(
            "itemNotFound.message",
            equalTo("Configuration group with ID " + id + " could not be found."));
  }

  @Test
  void valuesAreValidatedWithTroveMessages() {
    Api api = new Api();
    String base =
        "{\"configuration\": {\"name\": \"c\", \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"}, \"values\": ";
    api.as()
        .body(base + "{\"nope\": 1}}}")
        .post(api.path("configurations"))
        .then()
        .statusCode(422)
        .body(
            "unprocessableEntity.message",
            equalTo(
                "The configuration parameter nope is not supported for this datastore: postgresql 15."));
    api.as()
        .body(base + "{\"work_mem\": \"lots\"}}}")
        .post(api.path("configurations"))
        .then()
        .statusCode(422)
        .body(
            "unprocessableEntity.message",
            equalTo(
                "The value provided for the configuration parameter work_mem is not of type integer."));
    api.as()
        .body(base + "{\"work_mem\": 1}}}")
        .post(api.path("configurations"))
        .then()
        .statusCode(422)
        .body(
            "unprocessableEntity.message",
            equalTo(
                "The value for the configuration parameter work_mem is less than the minimum allowed: 64"));
    api.as()
        .body(base + "{\"shared_buffers\": 99999999999}}}")
        .post(api.path("configurations"))
        .then()
        .statusCode(422)
        .body(
            "unprocessableEntity.message",
            startsWith(
                "The value for the configuration parameter shared_buffers is greater than the maximum allowed"));
    String noRules =
        Datastores.version(
            "ds-" + UUID.randomUUID().toString().substring(0, 8), "1", "postgresql", true);
    String name =
        (String)
            Db.value(
                "SELECT d.name FROM datastores d JOIN datastore_versions v ON v.datastore_id = d.id WHERE v.id = ?",
                noRules);
    api.as()
        .body(
            "{\"configuration\": {\"name\": \"c\", \"values\": {\"work_mem\": 100}, \"datastore\": {\"type\": \""
                + name
                + "\", \"version\": \"1\"}}}")
        .post(api.path("configurations"))
        .then()
        .statusCode(422)
        .body(
            "unprocessableEntity.message",
            equalTo("Configuration groups are not supported for this datastore: " + name + " 1"));
  }

  @Test
  void aGroupInUseCannotBeDeletedAndAttachNeedsTheGuest() {
    Api api = new Api();
    String id = create(api, "{\"work_mem\": 8192}");
    String instance = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    // no guest answers: Trove's guest error, and nothing attached
    api.as()
        .body("{\"instance\": {\"configuration\": \"" + id + "\"}}")
        .put(api.path("instances/" + instance))
        .then()
        .statusCode(400)
        .body("badRequest.message", startsWith("An error occurred communicating with the guest"));
    assertThat(Db.value("SELECT configuration_id FROM instances WHERE id = ?", instance)).isNull();
    Db.update("UPDATE instances SET configuration_id = ? WHERE id = ?", id, instance);
    api.as().delete(api.path("configurations/" + id)).then().statusCode(400);
    api.as()
        .get(api.path("configurations/" + id))
        .then()
        .body("configuration.instance_count", equalTo(1));
    api.as()
        .get(api.path("instances/" + instance))
        .then()
        .body("instance.configuration.id", equalTo(id));
    api.as()
        .body("{\"instance\": {\"configuration\": \"" + id + "\"}}")
        .put(api.path("instances/" + instance))
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            startsWith("Instance " + instance + " already has a Configuration Group attached"));
    // a detach the guest does not take keeps the group attached
    api.as()
        .body("{\"instance\": {\"configuration\": null}}")
        .put(api.path("instances/" + instance))
        .then()
        .statusCode(400)
        .body("badRequest.message", startsWith("An error occurred communicating with the guest"));
    assertThat(Db.value("SELECT configuration_id FROM instances WHERE id = ?", instance))
        .isEqualTo(id);
    // a changed group is saved, and the instance that did not take it is named
    api.as()
        .body("{\"configuration\": {\"values\": {\"work_mem\": 16384}}}")
        .patch(api.path("configurations/" + id))
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            allOf(
                startsWith("The configuration group was saved, but instance(s) " + instance),
                containsString("An error occurred communicating with the guest")));
    api.as()
        .get(api.path("configurations/" + id))
        .then()
        .body("configuration.values.work_mem", equalTo(16384));
  }

  @Test
  void patchMergesAndPutReplaces() {
    Api api = new Api();
    String id = create(api, "{\"work_mem\": 8192}");
    api.as()
        .body("{\"configuration\": {\"values\": {\"log_statement\": \"ddl\"}}}")
        .patch(api.path("configurations/" + id))
        .then()
        .statusCode(200);
    api.as()
        .get(api.path("configurations/" + id))
        .then()
        .body("configuration.values.work_mem", equalTo(8192))
        .body("configuration.values.log_statement", equalTo("ddl"));
    api.as()
        .body("{\"configuration\": {\"values\": {\"work_mem\": 4096}, \"name\": \"renamed\"}}")
        .put(api.path("configurations/" + id))
        .then()
        .statusCode(202);
    api.as()
        .get(api.path("configurations/" + id))
        .then()
        .body("configuration.name", equalTo("renamed"))
        .body("configuration.values.size()", equalTo(1));
  }

  @Test
  void anotherProjectsGroupIsNotFound() {
    Api mine = new Api();
    Api theirs = new Api();
    String id = create(theirs, "{\"work_mem\": 8192}");
    mine.as().get(mine.path("configurations/" + id)).then().statusCode(404);
  }
}
