package io.coffer.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
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
  void exportsTheMetricsOperatorsWatch() {
    Api api = new Api();
    String[] listed = {"method=\"GET\"", "status=\"200\"", "uri=\"/v1.0/{projectId}/instances\""};
    double before = value(scrape(), "http_server_requests_seconds_count", listed);
    api.as().get(api.path("instances")).then().statusCode(200);
    api.as().get(api.path("instances")).then().statusCode(200);
    String after = scrape();
    // every request is counted under its route, not its raw path (no project ids as labels)
    assertThat(value(after, "http_server_requests_seconds_count", listed)).isEqualTo(before + 2);
    assertThat(after).doesNotContain(api.project);
    // the outbox of tasks waiting for the broker, and the dead-letter queue
    assertThat(value(after, "coffer_api_outbox_depth")).isGreaterThanOrEqualTo(0);
    assertThat(value(after, "coffer_bus_dead_letter_depth")).isGreaterThanOrEqualTo(0);
    assertThat(value(after, "jvm_memory_used_bytes", "area=\"heap\"")).isPositive();
  }

  private static String scrape() {
    return given().get("/q/metrics").then().statusCode(200).extract().asString();
  }

  /** The sum of a metric's samples whose labels include all of {@code labels}; 0 when absent. */
  private static double value(String scrape, String name, String... labels) {
    double sum = 0;
    boolean found = false;
    for (String line : scrape.lines().toList()) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      if (java.util.Arrays.stream(labels).allMatch(line::contains)) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    if (!found && labels.length == 0) {
      throw new AssertionError(name + " is not exported");
    }
    return sum;
  }
}
