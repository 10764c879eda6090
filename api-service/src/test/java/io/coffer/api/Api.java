package io.coffer.api;

import static io.restassured.RestAssured.given;

import io.coffer.testing.Datastores;
import io.coffer.testing.Projects;
import io.coffer.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** A fresh project with its token, and the shared PostgreSQL datastore fixture. */
final class Api {

  static final String DATASTORE = "postgresql";
  static final String VERSION = "15";

  final String project = Projects.fresh();
  final String token = Tokens.forProject(project);

  static String pgVersion() {
    String id = Datastores.version(DATASTORE, VERSION, "postgresql", true);
    Datastores.makeDefault(id);
    return id;
  }

  RequestSpecification as() {
    return given()
        .header("X-Auth-Token", token)
        .contentType(ContentType.JSON)
        .accept(ContentType.JSON);
  }

  static RequestSpecification admin() {
    return given()
        .header("X-Auth-Token", Tokens.admin())
        .contentType(ContentType.JSON)
        .accept(ContentType.JSON);
  }

  String path(String rest) {
    return "/v1.0/" + project + "/" + rest;
  }

  static String createBody(String name, int size) {
    return "{\"instance\": {\"name\": \""
        + name
        + "\", \"flavorRef\": \"1\", \"volume\": {\"size\": "
        + size
        + "}, \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"}}}";
  }
}
