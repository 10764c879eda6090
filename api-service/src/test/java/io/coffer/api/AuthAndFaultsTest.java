package io.coffer.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.coffer.testing.Projects;
import io.coffer.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/** Authentication, project isolation and Trove's fault bodies for every kind of bad request. */
@QuarkusTest
class AuthAndFaultsTest {

  @Test
  void aRequestWithoutTokenIsUnauthorized() {
    given()
        .get("/v1.0/" + Projects.fresh() + "/instances")
        .then()
        .statusCode(401)
        .contentType(ContentType.JSON)
        .body("unauthorized.code", equalTo(401))
        .body("unauthorized.message", equalTo("Authentication required."));
  }

  @Test
  void anUnknownTokenIsUnauthorized() {
    given()
        .header("X-Auth-Token", "no-such-token")
        .get("/v1.0/" + Projects.fresh() + "/instances")
        .then()
        .statusCode(401)
        .body("unauthorized.code", equalTo(401));
  }

  @Test
  void aProjectCannotReachAnotherProject() {
    Api api = new Api();
    String other = Projects.fresh();
    api.as()
        .get("/v1.0/" + other + "/instances")
        .then()
        .statusCode(403)
        .body(
            "forbidden.message",
            equalTo("User with tenant id " + api.project + " cannot access this resource."));
  }

  @Test
  void anAdminReachesAnyProjectButMembersNotTheMgmtApi() {
    Api api = new Api();
    Api.admin().get("/v1.0/" + api.project + "/instances").then().statusCode(200);
    api.as()
        .get(api.path("mgmt/instances"))
        .then()
        .statusCode(403)
        .body("forbidden.message", equalTo("User does not have admin privileges."));
  }

  @Test
  void theResponseCarriesARequestId() {
    Api api = new Api();
    api.as()
        .get(api.path("flavors"))
        .then()
        .statusCode(200)
        .header("x-openstack-request-id", startsWith("req-"));
  }

  @Test
  void malformedJsonIsABadRequestWithTroveMessage() {
    Api api = new Api();
    api.as()
        .body("{\"instance\": {")
        .post(api.path("instances"))
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "The server could not comply with the request since it is either malformed or"
                    + " otherwise incorrect."));
  }

  @Test
  void aBodyThatIsNotJsonIsAnUnsupportedMediaType() {
    Api api = new Api();
    api.as()
        .contentType(ContentType.XML)
        .body("<instance/>")
        .post(api.path("instances"))
        .then()
        .statusCode(415)
        .body("badMediaType.code", equalTo(415));
  }

  @Test
  void anUnknownRouteIsNotFound() {
    Api api = new Api();
    api.as()
        .get(api.path("no-such-collection"))
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("The resource could not be found."));
  }

  @Test
  void aMethodARouteDoesNotServeIsAFault() {
    Api api = new Api();
    api.as()
        .delete(api.path("flavors"))
        .then()
        .statusCode(405)
        .body("badMethod.code", equalTo(405));
  }

  @Test
  void anUnknownInstanceIsNotFound() {
    Api api = new Api();
    api.as()
        .get(api.path("instances/22222222-2222-2222-2222-222222222222"))
        .then()
        .statusCode(404)
        .body(
            "itemNotFound.message",
            equalTo("Resource 22222222-2222-2222-2222-222222222222 cannot be found."));
  }

  @Test
  void schemaViolationsUseTroveValidationMessages() {
    Api api = new Api();
    Api.pgVersion();
    api.as()
        .body("{\"instance\": {\"flavorRef\": \"1\"}}")
        .post(api.path("instances"))
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo("Validation error: instance 'name' is a required property"));
    api.as()
        .body("{\"instance\": {\"name\": \"x\", \"flavorRef\": \"1\", \"volume\": {\"size\": -1}}}")
        .post(api.path("instances"))
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            equalTo(
                "Validation error: instance['volume']['size'] -1 is less than the minimum of 1"));
  }

  @Test
  void versionDiscoveryNeedsNoToken() {
    given().get("/v1.0/").then().statusCode(200).body("version.id", equalTo("v1.0"));
  }

  @Test
  void tokensOfTheFileAreReloadedWhenItChanges() {
    String project = Projects.fresh();
    String token = Tokens.forProject(project);
    given()
        .header("X-Auth-Token", token)
        .get("/v1.0/" + project + "/flavors")
        .then()
        .statusCode(200);
  }
}
