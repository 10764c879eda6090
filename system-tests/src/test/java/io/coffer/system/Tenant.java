package io.coffer.system;

import io.coffer.testing.Projects;
import io.coffer.testing.Tokens;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.Set;
import org.awaitility.Awaitility;

/** A fresh project using the API, with helpers to wait for instance states. */
final class Tenant {

  final String project = Projects.fresh();
  final String token = Tokens.forProject(project);

  RequestSpecification as() {
    return Suite.as(token);
  }

  String path(String rest) {
    return "/v1.0/" + project + "/" + rest;
  }

  /**
   * Creates an instance and returns its id; {@code fields} are the request's instance members, as
   * JSON without the braces.
   */
  String createInstance(String fields) {
    return as().body("{\"instance\": {" + fields + "}}")
        .post(path("instances"))
        .then()
        .statusCode(200)
        .extract()
        .path("instance.id");
  }

  /** Creates a 1 GB m1.tiny instance of a datastore version, or of the default one (null). */
  String createInstance(String name, String datastore, String version) {
    String ds =
        datastore == null
            ? ""
            : ", \"datastore\": {\"type\": \""
                + datastore
                + "\", \"version\": \""
                + version
                + "\"}";
    return createInstance(
        "\"name\": \"" + name + "\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1}" + ds);
  }

  /**
   * Creates a PostgreSQL 15 m1.tiny instance of {@code sizeGb}: restored from a backup when {@code
   * restoreFrom} is given, else with a database {@code shop} and its user {@code shop}.
   */
  String createShop(String name, int sizeGb, String password, String restoreFrom) {
    String extra =
        restoreFrom != null
            ? ", \"restorePoint\": {\"backupRef\": \"" + restoreFrom + "\"}"
            : ", \"databases\": [{\"name\": \"shop\"}], \"users\": [{\"name\": \"shop\","
                + " \"password\": \""
                + password
                + "\", \"databases\": [{\"name\": \"shop\"}]}]";
    return createInstance(
        "\"name\": \""
            + name
            + "\", \"flavorRef\": \"1\", \"volume\": {\"size\": "
            + sizeGb
            + "}, \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"}"
            + extra);
  }

  JsonPath show(String id) {
    return as().get(path("instances/" + id)).then().extract().jsonPath();
  }

  /** Waits until the instance shows {@code status} (and {@code HEALTHY} when ACTIVE). */
  JsonPath await(String id, String status, Duration timeout) {
    JsonPath[] last = new JsonPath[1];
    Awaitility.await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              last[0] = show(id);
              String s = last[0].getString("instance.status");
              if ("ERROR".equals(s) && !"ERROR".equals(status)) {
                throw new AssertionError(
                    "instance " + id + " went to ERROR: " + last[0].prettify());
              }
              return status.equals(s)
                  && (!"ACTIVE".equals(status)
                      || "HEALTHY".equals(last[0].getString("instance.operating_status")));
            });
    return last[0];
  }

  /** Waits until the backup shows {@code status}; fails at once if it fails. */
  JsonPath awaitBackup(String id, String status, Duration timeout) {
    JsonPath[] last = new JsonPath[1];
    Awaitility.await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              last[0] = as().get(path("backups/" + id)).then().extract().jsonPath();
              String s = last[0].getString("backup.status");
              if ("FAILED".equals(s) && !"FAILED".equals(status)) {
                throw new AssertionError("backup " + id + " failed: " + last[0].prettify());
              }
              return status.equals(s);
            });
    return last[0];
  }

  /** Waits until the instance is gone (404). */
  void awaitDeleted(String id, Duration timeout) {
    Awaitility.await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> Set.of(404).contains(as().get(path("instances/" + id)).statusCode()));
  }
}
