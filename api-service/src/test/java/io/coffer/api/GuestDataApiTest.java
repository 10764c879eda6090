package io.coffer.api;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.coffer.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Databases, users and root when the guest cannot answer: Trove's guest error, never a hang; and
 * 422 while the database service is not up. (Against real guests: the provisioning tests.)
 */
@QuarkusTest
class GuestDataApiTest {

  private static String pg;

  @BeforeAll
  static void datastore() {
    pg = Api.pgVersion();
  }

  @Test
  void guestOperationsAnswerTheGuestErrorWhenNoGuestAnswers() {
    Api api = new Api();
    String id = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    String guestError = "An error occurred communicating with the guest: ";
    api.as()
        .get(api.path("instances/" + id + "/databases"))
        .then()
        .statusCode(400)
        .body("badRequest.message", startsWith(guestError));
    api.as()
        .body("{\"databases\": [{\"name\": \"db3\"}]}")
        .post(api.path("instances/" + id + "/databases"))
        .then()
        .statusCode(400)
        .body("badRequest.message", startsWith(guestError));
    api.as()
        .get(api.path("instances/" + id + "/users"))
        .then()
        .statusCode(400)
        .body("badRequest.message", startsWith(guestError));
    api.as()
        .get(api.path("instances/" + id + "/users/carol"))
        .then()
        .statusCode(400)
        .body("badRequest.message", startsWith(guestError));
    api.as()
        .post(api.path("instances/" + id + "/root"))
        .then()
        .statusCode(400)
        .body("badRequest.message", startsWith(guestError));
    api.as()
        .get(api.path("instances/" + id + "/root"))
        .then()
        .statusCode(200)
        .body("rootEnabled", equalTo(false));
  }

  @Test
  void guestOperationsNeedARunningDatabase() {
    Api api = new Api();
    String id = Fixtures.instance(api.project).datastoreVersion(pg).building().insert();
    api.as()
        .get(api.path("instances/" + id + "/databases"))
        .then()
        .statusCode(422)
        .body("unprocessableEntity.message", equalTo("Instance " + id + " is not ready."));
    api.as().get(api.path("instances/" + id + "/users")).then().statusCode(422);
  }

  @Test
  void badNamesAreRefusedBeforeAskingTheGuest() {
    Api api = new Api();
    String id = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    api.as()
        .body("{\"databases\": [{\"name\": \"template1\"}]}")
        .post(api.path("instances/" + id + "/databases"))
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("'template1' is a reserved database name."));
    api.as()
        .body("{\"databases\": [{\"name\": \"bad;name\"}]}")
        .post(api.path("instances/" + id + "/databases"))
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("'bad;name' is not a valid database name."));
    api.as()
        .body("{\"users\": [{\"name\": \"postgres\", \"password\": \"x\"}]}")
        .post(api.path("instances/" + id + "/users"))
        .then()
        .statusCode(400)
        .body("badRequest.message", equalTo("'postgres' is a reserved user name."));
    api.as()
        .body("{\"users\": [{\"name\": \"carol\"}]}")
        .post(api.path("instances/" + id + "/users"))
        .then()
        .statusCode(400);
    api.as().delete(api.path("instances/" + id + "/databases/postgres")).then().statusCode(400);
    api.as().get(api.path("instances/" + id + "/databases/app")).then().statusCode(501);
  }

  @Test
  void rootCannotBeDisabledBeforeItIsEnabled() {
    Api api = new Api();
    String id = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    api.as()
        .delete(api.path("instances/" + id + "/root"))
        .then()
        .statusCode(404)
        .body("itemNotFound.message", equalTo("Root user has never been enabled on the instance."));
  }

  @Test
  void unsupportedFeaturesAnswerNotImplemented() {
    Api api = new Api();
    api.as()
        .get(api.path("clusters"))
        .then()
        .statusCode(501)
        .body("notImplemented.code", equalTo(501));
    api.as().get(api.path("modules")).then().statusCode(501);
    api.as().post(api.path("clusters")).then().statusCode(501);
  }
}
