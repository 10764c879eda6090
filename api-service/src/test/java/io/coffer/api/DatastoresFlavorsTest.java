package io.coffer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.coffer.testing.Datastores;
import io.coffer.testing.Db;
import io.quarkus.test.junit.QuarkusTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DatastoresFlavorsTest {

  @Test
  void usersSeeActiveDatastoresAndVersions() {
    String name = "ds-" + UUID.randomUUID().toString().substring(0, 8);
    String active = Datastores.version(name, "1.0", "postgresql", true);
    Datastores.version(name, "0.9", "postgresql", false);
    String hidden = "ds-" + UUID.randomUUID().toString().substring(0, 8);
    Datastores.version(hidden, "1.0", "postgresql", false);
    Api api = new Api();

    api.as()
        .get(api.path("datastores"))
        .then()
        .statusCode(200)
        .body("datastores.name", hasItem(name))
        .body("datastores.name", not(hasItem(hidden)))
        .body(
            "datastores.find { it.name == '" + name + "' }.versions.name",
            equalTo(java.util.List.of("1.0")))
        .body("datastores.find { it.name == '" + name + "' }.versions[0].active", nullValue());

    api.as()
        .get(api.path("datastores/" + name))
        .then()
        .statusCode(200)
        .body("datastore.name", equalTo(name))
        .body("datastore.links[0].rel", equalTo("self"));

    api.as()
        .get(api.path("datastores/" + name + "/versions/1.0"))
        .then()
        .statusCode(200)
        .body("version.id", equalTo(active))
        .body("version.datastore", notNullValue())
        .body(
            "version.links[0].href",
            equalTo(
                "https://localhost:"
                    + io.restassured.RestAssured.port
                    + "/v1.0/"
                    + api.project
                    + "/datastores/versions/"
                    + active));

    api.as()
        .get(api.path("datastores/versions/" + active))
        .then()
        .statusCode(200)
        .body("version.name", equalTo("1.0"));
  }

  @Test
  void adminsSeeInactiveVersionsAndImageFields() {
    String name = "ds-" + UUID.randomUUID().toString().substring(0, 8);
    Datastores.version(name, "1.0", "postgresql", true);
    Datastores.version(name, "0.9", "postgresql", false);
    Api api = new Api();
    Api.admin()
        .get("/v1.0/" + api.project + "/datastores/" + name + "/versions")
        .then()
        .statusCode(200)
        .body("versions.name", hasItem("0.9"))
        .body("versions[0].active", notNullValue())
        .body("versions[0].image_tags", notNullValue());
  }

  @Test
  void unknownDatastoreIs404AndUnknownVersionIs400AsTrove() {
    Api api = new Api();
    api.as()
        .get(api.path("datastores/nope"))
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Datastore 'nope' cannot be found."));
    Api.pgVersion();
    api.as()
        .get(api.path("datastores/postgresql/versions/99"))
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("Datastore version '99' cannot be found."));
  }

  @Test
  void flavorsCarryTroveFields() {
    Api api = new Api();
    api.as()
        .get(api.path("flavors"))
        .then()
        .statusCode(200)
        .body("flavors.find { it.str_id == '1' }.id", equalTo(1))
        .body("flavors.find { it.str_id == '1' }.ram", equalTo(512))
        .body("flavors.find { it.str_id == '1' }.links[1].rel", equalTo("bookmark"));
    api.as()
        .get(api.path("flavors/2"))
        .then()
        .statusCode(200)
        .body("flavor.name", equalTo("m1.small"));
    api.as()
        .get(api.path("flavors/999"))
        .then()
        .statusCode(404)
        .body("itemNotFound.code", equalTo(404));
  }

  @Test
  void troveMediaTypeAndJsonSuffixAreAccepted() {
    Api api = new Api();
    api.as()
        .accept("application/vnd.openstack.trove+json;version=1.0")
        .get(api.path("flavors"))
        .then()
        .statusCode(200)
        .contentType(io.restassured.http.ContentType.JSON);
    api.as().get(api.path("flavors.json")).then().statusCode(200);
  }

  @Test
  void parametersOfAVersion() {
    String name = "ds-" + UUID.randomUUID().toString().substring(0, 8);
    String v = Datastores.version(name, "1.0", "postgresql", true);
    Datastores.rule(v, "work_mem", "integer", false, "64", "2147483647");
    Api api = new Api();
    api.as()
        .get(api.path("datastores/" + name + "/versions/1.0/parameters"))
        .then()
        .statusCode(200)
        .body("'configuration-parameters'[0].name", equalTo("work_mem"))
        .body("'configuration-parameters'[0].min", equalTo(64))
        .body("'configuration-parameters'[0].restart_required", equalTo(false));
    api.as()
        .get(api.path("datastores/versions/" + v + "/parameters/work_mem"))
        .then()
        .statusCode(200)
        .body("type", equalTo("integer"));
    api.as().get(api.path("datastores/" + name + "/versions/1.0/flavors")).then().statusCode(200);
    // without a whitelist, a version may use every volume type the driver offers
    java.util.List<String> offered =
        api.as().get(api.path("volume-types")).then().extract().path("volume_types.id");
    api.as()
        .get(api.path("datastores/" + name + "/versions/1.0/volume-types"))
        .then()
        .statusCode(200)
        .body("volume_types.id", equalTo(offered));
  }

  private static String volumeType(String name, boolean deleted) {
    String id = UUID.randomUUID().toString();
    Db.update(
        "INSERT INTO volume_types (id, name, is_public, description, deleted, created, updated)"
            + " VALUES (?, ?, true, 'test type', ?, now(), now())",
        id,
        name,
        deleted);
    return id;
  }

  @Test
  void volumeTypesAreTheDriversAndACreateMayOnlyNameOneOfThem() {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String fast = volumeType("fast-" + suffix, false);
    String slow = volumeType("slow-" + suffix, false);
    volumeType("gone-" + suffix, true);
    String ds = "ds-" + suffix;
    String version = Datastores.version(ds, "1.0", "postgresql", true);
    Api api = new Api();

    api.as()
        .get(api.path("volume-types"))
        .then()
        .statusCode(200)
        .body("volume_types.name", hasItem("fast-" + suffix))
        .body("volume_types.name", not(hasItem("gone-" + suffix)))
        .body(
            "volume_types.find { it.id == '" + fast + "' }",
            equalTo(
                java.util.Map.of(
                    "id",
                    fast,
                    "name",
                    "fast-" + suffix,
                    "is_public",
                    true,
                    "description",
                    "test type")));
    api.as()
        .get(api.path("volume-types/" + slow))
        .then()
        .statusCode(200)
        .body("volume_type.name", equalTo("slow-" + suffix));
    api.as()
        .get(api.path("volume-types/nothing-" + suffix))
        .then()
        .statusCode(404)
        .body("itemNotFound.code", equalTo(404));

    // a create naming a type the driver does not offer is refused before anything is made
    String create =
        "{\"instance\": {\"name\": \"vt\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1,"
            + " \"type\": \"%s\"}, \"datastore\": {\"type\": \""
            + ds
            + "\", \"version\": \"1.0\"}}}";
    api.as()
        .body(String.format(create, "gone-" + suffix))
        .post(api.path("instances"))
        .then()
        .statusCode(400)
        .body("badRequest.message", startsWith("Volume type gone-" + suffix + " cannot be found"));

    // a version restricted to some types: only those, and one must be named
    Db.update(
        "INSERT INTO datastore_version_metadata (id, datastore_version_id, key, value, created,"
            + " deleted, updated_at) VALUES (?, ?, 'volume_type', ?, now(), false, now())",
        UUID.randomUUID().toString(),
        version,
        "fast-" + suffix);
    api.as()
        .get(api.path("datastores/" + ds + "/versions/1.0/volume-types"))
        .then()
        .statusCode(200)
        .body("volume_types.name", equalTo(java.util.List.of("fast-" + suffix)));
    api.as()
        .body(String.format(create, "slow-" + suffix))
        .post(api.path("instances"))
        .then()
        .statusCode(404)
        .body(
            "itemNotFound.message",
            equalTo(
                "The volume type slow-"
                    + suffix
                    + " is not valid for datastore version "
                    + version
                    + "."));
    api.as()
        .body(
            String.format(create, "fast-" + suffix)
                .replace(", \"type\": \"fast-" + suffix + "\"", ""))
        .post(api.path("instances"))
        .then()
        .statusCode(400)
        .body("badRequest.message", startsWith("Only specific volume types are allowed"));
    assertThat(Db.value("SELECT count(*) FROM instances WHERE tenant_id = ?", api.project))
        .isEqualTo(0L);
    String id =
        api.as()
            .body(String.format(create, fast))
            .post(api.path("instances"))
            .then()
            .statusCode(200)
            .extract()
            .path("instance.id");
    // the driver is given the type's name
    assertThat(Db.value("SELECT volume_type FROM instances WHERE id = ?", id))
        .isEqualTo("fast-" + suffix);
  }
}
