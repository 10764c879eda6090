package io.coffer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Malformed JSON, wrong types, missing fields, oversized and unicode strings, negative sizes and
 * unknown ids sent to every endpoint that takes input: each gets the status and fault Trove gives
 * (400 badRequest for what its schema refuses, 404 itemNotFound for a well-formed request naming
 * nothing), and nothing is written.
 */
@QuarkusTest
class BadInputTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LONG = "x".repeat(10_000);
  private static final String UNKNOWN = "00000000-0000-0000-0000-000000000000";
  private static String pg;

  @BeforeAll
  static void datastore() {
    pg = Api.pgVersion();
  }

  private static final List<String> BODIES =
      List.of(
          "{",
          "[]",
          "\"text\"",
          "null",
          "{}",
          "{\"instance\": 5}",
          "{\"instance\": {\"name\": 5}}",
          "{\"instance\": {\"name\": \"" + LONG + "\"}}",
          "{\"instance\": {\"name\": \"\\u0000\"}}",
          "{\"instance\": {\"name\": \"ok\", \"flavorRef\": \"1\", \"volume\": {\"size\": -5}}}",
          "{\"instance\": {\"name\": \"ok\", \"flavorRef\": \"1\", \"volume\": {\"size\": \"many\"}}}",
          "{\"instance\": {\"name\": \"ok\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1e999}}}",
          "{\"instance\": {\"name\": \"日本語\", \"flavorRef\": {\"a\": 1}, \"volume\": {\"size\": 1}}}",
          "{\"instance\": {\"name\": \"ok\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1}, \"users\": [{\"name\": \"ü\", \"password\": \"p\"}]}}",
          "{\"instance\": {\"name\": \"ok\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1}, \"nics\": [{}, {}]}}",
          "{\"instance\": {\"name\": \"ok\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1}, \"access\": {\"allowed_cidrs\": [\"1.2.3.4/99\"]}}}",
          "{\"instance\": {\"name\": \"ok\", \"replica_of\": \"" + UNKNOWN + "\"}}",
          "{\"instance\": {\"name\": \"ok\", \"replica_of\": \"not-a-uuid\"}}",
          "{\"instance\": {\"name\": \"ok\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1}, \"restorePoint\": {\"instanceRef\": \""
              + UNKNOWN
              + "\", \"restoreTime\": \"noon\"}}}",
          "{\"instance\": {\"name\": \"ok\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1}, \"restorePoint\": {\"instanceRef\": \""
              + UNKNOWN
              + "\", \"backupRef\": \""
              + UNKNOWN
              + "\"}}}",
          "{\"instance\": {\"name\": \"ok\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1}, \"restorePoint\": {\"instanceRef\": \"not-a-uuid\"}}}",
          "{\"instance\": {\"name\": \"ok\", \"flavorRef\": \"1\", \"volume\": {\"size\": 1}, \"restorePoint\": {\"instanceRef\": \""
              + UNKNOWN
              + "\", \"restoreTime\": \"2026-12-07T14:03:00Z\"}}}",
          "{\"databases\": [{\"name\": \"" + LONG + "\"}]}",
          "{\"databases\": \"db\"}",
          "{\"users\": [{\"name\": \"u\", \"password\": 5}]}",
          "{\"backup\": {\"name\": \"b\", \"instance\": \"" + UNKNOWN + "\"}}",
          "{\"backup\": {\"name\": 7}}",
          "{\"configuration\": {\"name\": \"c\", \"values\": []}}",
          "{\"configuration\": {\"name\": \"c\"}}",
          "{\"resize\": {\"volume\": {\"size\": -1}}}",
          "{\"resize\": {\"flavorRef\": null}}",
          "{\"reset_status\": 5, \"restart\": {}}",
          "{\"quotas\": {\"instances\": \"many\"}}",
          "{\"user\": {}}",
          "{\"configuration-parameter\": {\"name\": \"p\", \"data_type\": \"complex\"}}",
          "{\"version\": {\"name\": \"v\"}}");

  private record Call(String method, String path) {}

  /** An answer: the status and the fault's name (its single key). */
  private record Fault(int status, String name) {
    static final Fault BAD_REQUEST = new Fault(400, "badRequest");
    static final Fault NOT_FOUND = new Fault(404, "itemNotFound");

    @Override
    public String toString() {
      return status + " " + name;
    }
  }

  /**
   * What Trove answers: its schema check comes first (400 badRequest, {@code Validation error: …}),
   * then the lookups (404 itemNotFound), then the rules. The few well-formed requests naming
   * something that does not exist are the 404s; everything else here is malformed.
   */
  private static Fault expected(Call call, String body) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (Exception e) {
      return Fault.BAD_REQUEST;
    }
    boolean oneKey = json != null && json.isObject() && json.size() == 1;
    if (call.path().endsWith("instances/" + UNKNOWN + "/action")) {
      // the instance is looked up before the action is chosen; a resize's body is checked first
      return oneKey && !json.has("resize") ? Fault.NOT_FOUND : Fault.BAD_REQUEST;
    }
    if (call.equals(new Call("POST", "instances"))
        && body.contains("\"replica_of\": \"" + UNKNOWN)) {
      return Fault.NOT_FOUND;
    }
    if (call.equals(new Call("POST", "instances"))
        && json.path("instance").path("restorePoint").size() == 2
        && json.path("instance")
            .path("restorePoint")
            .path("restoreTime")
            .asText()
            .startsWith("2026")) {
      // a point-in-time recovery of an instance that does not exist
      return Fault.NOT_FOUND;
    }
    if (call.equals(new Call("POST", "backups"))
        && json.path("backup").path("instance").asText().equals(UNKNOWN)) {
      return Fault.NOT_FOUND;
    }
    if (call.equals(new Call("PUT", "configurations/" + UNKNOWN))
        && body.equals("{\"configuration\": {\"name\": \"c\"}}")) {
      return Fault.NOT_FOUND;
    }
    return Fault.BAD_REQUEST;
  }

  @Test
  void everyBadInputGetsTrovesStatusAndFaultAndWritesNothing() throws Exception {
    Api api = new Api();
    String instance = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    long before = rows(api.project);
    List<Call> calls =
        List.of(
            new Call("POST", "instances"),
            new Call("PUT", "instances/" + instance),
            new Call("PATCH", "instances/" + instance),
            new Call("POST", "instances/" + instance + "/action"),
            new Call("POST", "instances/" + UNKNOWN + "/action"),
            new Call("POST", "instances/" + instance + "/databases"),
            new Call("POST", "instances/" + instance + "/users"),
            new Call("PUT", "instances/" + instance + "/users"),
            new Call("PUT", "instances/" + instance + "/users/carol"),
            new Call("PUT", "instances/" + instance + "/users/carol/databases"),
            new Call("POST", "backups"),
            new Call("POST", "configurations"),
            new Call("PATCH", "configurations/" + UNKNOWN),
            new Call("PUT", "configurations/" + UNKNOWN),
            new Call("POST", "backup_strategies"),
            new Call("PUT", "mgmt/quotas/" + api.project));
    List<String> failures = new ArrayList<>();
    for (Call call : calls) {
      for (String body : BODIES) {
        Response r = Api.admin().body(body).request(call.method(), api.path(call.path()));
        check(
            call.method() + " " + call.path() + " " + abbreviate(body),
            r,
            expected(call, body),
            failures);
      }
    }
    for (String path :
        List.of(
            "instances/" + UNKNOWN,
            "instances/" + LONG.substring(0, 300),
            "instances/%F0%9F%92%A9",
            "backups/" + UNKNOWN,
            "configurations/" + UNKNOWN,
            "flavors/" + UNKNOWN,
            "datastores/" + UNKNOWN)) {
      check("GET " + path, api.as().get(api.path(path)), Fault.NOT_FOUND, failures);
    }
    for (String query :
        List.of(
            "instances?limit=abc",
            "backups?limit=1.5",
            "instances/" + instance + "/databases?limit=x")) {
      check("GET " + query, api.as().get(api.path(query)), Fault.BAD_REQUEST, failures);
    }
    assertThat(failures).isEmpty();
    assertThat(rows(api.project)).isEqualTo(before);
  }

  @Test
  void theMessagesSayWhatIsWrong() {
    Api api = new Api();
    Map<String, String> createBodies =
        Map.of(
            "{}", "Validation error: 'instance' is a required property",
            "{\"instance\": {\"name\": 5}}",
                "Validation error: instance['name'] 5 is not of type 'string'",
            "{\"instance\": {\"name\": \"  \"}}",
                "Validation error: instance['name'] '  ' does not match '^.*[0-9a-zA-Z]+.*$'",
            "{\"instance\": {\"name\": \"ok\", \"flavorRef\": \"1\", \"volume\": {\"size\": -5}}}",
                "Validation error: instance['volume']['size'] -5 is less than the minimum of 1");
    createBodies.forEach(
        (body, message) ->
            api.as()
                .body(body)
                .post(api.path("instances"))
                .then()
                .statusCode(400)
                .body("badRequest.code", org.hamcrest.Matchers.equalTo(400))
                .body("badRequest.message", org.hamcrest.Matchers.equalTo(message)));
    api.as()
        .get(api.path("instances?limit=abc"))
        .then()
        .statusCode(400)
        .body(
            "badRequest.message",
            org.hamcrest.Matchers.equalTo(
                "Validation error: limit 'abc' is not of type 'integer'"));
  }

  private static void check(String what, Response r, Fault expected, List<String> failures)
      throws Exception {
    int code = r.statusCode();
    JsonNode body;
    try {
      body = JSON.readTree(r.asString());
    } catch (Exception e) {
      failures.add(what + " -> " + code + " without a JSON fault body: " + r.asString());
      return;
    }
    if (body == null || !body.isObject() || body.size() != 1) {
      failures.add(what + " -> " + code + " no fault body: " + r.asString());
      return;
    }
    Map.Entry<String, JsonNode> fault = body.fields().next();
    Fault got = new Fault(code, fault.getKey());
    if (!got.equals(expected)) {
      failures.add(what + " -> " + got + ", expected " + expected + ": " + r.asString());
    } else if (fault.getValue().path("code").asInt() != code
        || !fault.getValue().path("message").isTextual()
        || fault.getValue().path("message").asText().isBlank()) {
      failures.add(what + " -> malformed fault " + r.asString());
    }
  }

  private static long rows(String project) {
    return (Long) Db.value("SELECT count(*) FROM instances WHERE tenant_id = ?", project)
        + (Long) Db.value("SELECT count(*) FROM backups WHERE tenant_id = ?", project)
        + (Long) Db.value("SELECT count(*) FROM configurations WHERE tenant_id = ?", project)
        + (Long) Db.value("SELECT count(*) FROM backup_strategy WHERE tenant_id = ?", project)
        + (Long) Db.value("SELECT count(*) FROM quotas WHERE tenant_id = ?", project)
        + (Long)
            Db.value(
                "SELECT coalesce(sum(in_use + reserved), 0) FROM quota_usages WHERE tenant_id = ?",
                project);
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
