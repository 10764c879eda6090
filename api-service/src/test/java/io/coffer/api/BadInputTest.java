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
 * unknown ids sent to every endpoint that takes input: always a 4xx with Trove's fault body, and
 * nothing written.
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

  @Test
  void everyBadInputIsAFourHundredWithAFaultBodyAndWritesNothing() throws Exception {
    Api api = new Api();
    String instance = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    long before = rows(api.project);
    List<Call> calls =
        List.of(
            new Call("POST", api.path("instances")),
            new Call("PUT", api.path("instances/" + instance)),
            new Call("PATCH", api.path("instances/" + instance)),
            new Call("POST", api.path("instances/" + instance + "/action")),
            new Call("POST", api.path("instances/" + UNKNOWN + "/action")),
            new Call("POST", api.path("instances/" + instance + "/databases")),
            new Call("POST", api.path("instances/" + instance + "/users")),
            new Call("PUT", api.path("instances/" + instance + "/users")),
            new Call("PUT", api.path("instances/" + instance + "/users/carol")),
            new Call("PUT", api.path("instances/" + instance + "/users/carol/databases")),
            new Call("POST", api.path("backups")),
            new Call("POST", api.path("configurations")),
            new Call("PATCH", api.path("configurations/" + UNKNOWN)),
            new Call("PUT", api.path("configurations/" + UNKNOWN)),
            new Call("POST", api.path("backup_strategies")),
            new Call("PUT", api.path("mgmt/quotas/" + api.project)));
    List<String> failures = new ArrayList<>();
    for (Call call : calls) {
      for (String body : BODIES) {
        Response r = Api.admin().body(body).request(call.method(), call.path());
        check(call.method() + " " + call.path() + " " + abbreviate(body), r, failures);
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
            "datastores/" + UNKNOWN,
            "instances?limit=-3&marker=%00",
            "instances?limit=abc",
            "backups?marker=abc")) {
      Response r = api.as().get(api.path(path));
      if (r.statusCode() != 200) {
        check("GET " + path, r, failures);
      }
    }
    assertThat(failures).isEmpty();
    assertThat(rows(api.project)).isEqualTo(before);
  }

  private static void check(String what, Response r, List<String> failures) throws Exception {
    int code = r.statusCode();
    if (code < 400 || code >= 500) {
      failures.add(what + " -> " + code + " " + r.asString());
      return;
    }
    JsonNode body = JSON.readTree(r.asString());
    if (body == null || body.size() != 1) {
      failures.add(what + " -> no fault body: " + r.asString());
      return;
    }
    Map.Entry<String, JsonNode> fault = body.fields().next();
    if (fault.getValue().path("code").asInt() != code
        || !fault.getValue().path("message").isTextual()) {
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
