package io.coffer.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HealthAndVersionsTest {

  @Test
  void readyWhenDatabaseAndBusAreUp() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem("message bus"));
    given().get("/q/health/live").then().statusCode(200);
  }

  @Test
  void listsTheOneVersionAsTroveDoes() {
    given()
        .get("/")
        .then()
        .statusCode(200)
        .body("versions[0].id", equalTo("v1.0"))
        .body("versions[0].status", equalTo("CURRENT"))
        .body("versions[0].updated", equalTo("2012-08-01T00:00:00Z"))
        .body("versions[0].links[0].href", startsWith("https://"));
  }

  @Test
  void exportsPrometheusMetrics() {
    given().get("/q/metrics").then().statusCode(200);
  }
}
