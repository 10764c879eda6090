package io.coffer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.coffer.model.rpc.Envelope;
import io.coffer.testing.Db;
import io.coffer.testing.RabbitProbe;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InstancesApiTest {

  @BeforeAll
  static void datastore() {
    Api.pgVersion();
  }

  @Test
  void createAnswersTheInstanceInBuildAndQueuesCreateInstance() {
    Api api = new Api();
    try (RabbitProbe tasks = RabbitProbe.bind("taskmanager-api-test")) {
      String id =
          api.as()
              .body(
                  "{\"instance\": {\"name\": \"db1\", \"flavorRef\": 1, \"volume\": {\"size\": 2},"
                      + " \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"},"
                      + " \"databases\": [{\"name\": \"app\"}],"
                      + " \"users\": [{\"name\": \"alice\", \"password\": \"s3cret!\", \"databases\": [{\"name\": \"app\"}]}]}}")
              .post(api.path("instances"))
              .then()
              .statusCode(200)
              .body("instance.status", equalTo("BUILD"))
              .body("instance.operating_status", equalTo(""))
              .body("instance.name", equalTo("db1"))
              .body("instance.flavor.id", equalTo("1"))
              .body("instance.volume.size", equalTo(2))
              .body("instance.datastore.type", equalTo("postgresql"))
              .body("instance.datastore.version", equalTo("15"))
              .body("instance.datastore.version_number", equalTo("15"))
              .body("instance.links[0].rel", equalTo("self"))
              .body("instance.links[0].href", startsWith("https://"))
              .body("instance.created", notNullValue())
              .body("instance.region", equalTo("RegionOne"))
              .extract()
              .path("instance.id");

      Envelope task = tasks.awaitOne(Duration.ofSeconds(10)).envelope();
      assertThat(task.method()).isEqualTo("create_instance");
      assertThat(task.args().get("instance_id").asText()).isEqualTo(id);
      assertThat(task.args().get("users").get(0).get("_password").asText()).isEqualTo("s3cret!");
      assertThat(task.context().projectId()).isEqualTo(api.project);
      assertThat(
              Db.value(
                  "SELECT in_use FROM quota_usages WHERE tenant_id = ? AND resource = 'instances'",
                  api.project))
          .isEqualTo(1);

      api.as()
          .get(api.path("instances"))
          .then()
          .statusCode(200)
          .body("instances", hasSize(1))
          .body("instances[0].id", equalTo(id));
      api.as()
          .get(api.path("instances/" + id))
          .then()
          .statusCode(200)
          .body("instance.id", equalTo(id));
    }
  }
}
