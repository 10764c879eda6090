package io.coffer.api;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.coffer.testing.Datastores;
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
    api.as()
        .get(api.path("datastores/" + name + "/versions/1.0/volume-types"))
        .then()
        .statusCode(200)
        .body("volume_types.size()", equalTo(0));
  }
}
