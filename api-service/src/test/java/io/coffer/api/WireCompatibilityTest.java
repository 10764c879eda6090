package io.coffer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.testing.Fixtures;
import io.coffer.testing.TroveWire;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Coffer's responses carry every field the real Trove 18 sent to python-troveclient in the same
 * situation (recorded with an admin token, so admin-only fields are compared too).
 */
@QuarkusTest
class WireCompatibilityTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static String pg;

  @BeforeAll
  static void datastore() {
    pg = Api.pgVersion();
  }

  private static JsonNode get(String path) throws Exception {
    return JSON.readTree(Api.admin().get(path).then().statusCode(200).extract().asString());
  }

  private static void covers(JsonNode ours, JsonNode trove, String... optional) {
    TreeSet<String> missing = new TreeSet<>(TroveWire.paths(trove));
    missing.removeAll(TroveWire.paths(ours));
    missing.removeIf(p -> Set.of(optional).stream().anyMatch(p::startsWith));
    assertThat(missing).as("fields Trove sends and Coffer does not").isEmpty();
  }

  @Test
  void datastoresVersionsAndFlavors() throws Exception {
    Api api = new Api();
    String base = "/v1.0/" + api.project + "/";
    covers(get(base + "datastores"), TroveWire.response("datastore list", "GET", "/datastores"));
    covers(
        get(base + "datastores/postgresql"),
        TroveWire.response("datastore show", "GET", "/datastores/mysql"));
    covers(
        get(base + "datastores/postgresql/versions"),
        TroveWire.response("datastore version list", "GET", "/versions"));
    covers(
        get(base + "datastores/postgresql/versions/15"),
        TroveWire.response("datastore version show", "GET", "/versions/5.7.29"));
    covers(get(base + "flavors"), TroveWire.response("flavor list", "GET", "/flavors"));
    covers(
        get(base + "limits"),
        TroveWire.response("limits", "GET", "/limits"),
        "limits[*].nextAvailable",
        "limits[*].regex",
        "limits[*].remaining",
        "limits[*].unit",
        "limits[*].uri",
        "limits[*].value");
    covers(
        get(base + "mgmt/quotas/" + api.project),
        TroveWire.response("quota show", "GET", "/mgmt/quotas/6eb13d0379c847eeb9ed6d18b323a567"));
  }

  @Test
  void instancesBackupsAndConfigurations() throws Exception {
    Api api = new Api();
    String base = "/v1.0/" + api.project + "/";
    JsonNode created =
        JSON.readTree(
            Api.admin()
                .body(Api.createBody("inst1", 2))
                .post(base + "instances")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    covers(created, TroveWire.response("instance create", "POST", "/instances"));
    covers(get(base + "instances"), TroveWire.response("instance list", "GET", "/instances"));
    String active = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    covers(
        get(base + "instances/" + active),
        TroveWire.response(
            "instance create", "GET", "/instances/556bcf54-831f-446a-bc7a-452d721d6962"));

    JsonNode backup =
        JSON.readTree(
            Api.admin()
                .body(
                    "{\"backup\": {\"name\": \"bk1\", \"instance\": \""
                        + active
                        + "\", \"description\": \"first\"}}")
                .post(base + "backups")
                .then()
                .statusCode(202)
                .extract()
                .asString());
    covers(backup, TroveWire.response("backup create", "POST", "/backups"));
    covers(get(base + "backups"), TroveWire.response("backup list", "GET", "/backups"));

    io.coffer.testing.Datastores.rule(pg, "max_connections", "integer", true, "1", "10000");
    JsonNode conf =
        JSON.readTree(
            Api.admin()
                .body(
                    "{\"configuration\": {\"name\": \"conf1\", \"values\": {\"max_connections\": 200}, \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"}}}")
                .post(base + "configurations")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    covers(conf, TroveWire.response("configuration create", "POST", "/configurations"));
    covers(
        get(base + "configurations"),
        TroveWire.response("configuration list", "GET", "/configurations"));
  }
}
