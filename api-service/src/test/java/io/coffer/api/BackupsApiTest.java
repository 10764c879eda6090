package io.coffer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.coffer.model.rpc.Envelope;
import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.coffer.testing.RabbitProbe;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BackupsApiTest {

  private static String pg;

  @BeforeAll
  static void datastore() {
    pg = Api.pgVersion();
  }

  private static String backupRow(String project, String instance, String state, String parent) {
    String id = UUID.randomUUID().toString();
    Db.update(
        "INSERT INTO backups (id, name, tenant_id, state, instance_id, backup_type, created, updated,"
            + " datastore_version_id, parent_id, size, location) VALUES (?, 'b', ?, ?, ?, 'full', now(), now(), ?, ?, 0.5, 'file:///x')",
        id,
        project,
        state,
        instance,
        pg,
        parent);
    return id;
  }

  @Test
  void createQueuesTheBackupAndTheInstanceShowsBackup() {
    Api api = new Api();
    String instance = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    try (RabbitProbe tasks = RabbitProbe.bind("taskmanager-api-test")) {
      String id =
          api.as()
              .body(
                  "{\"backup\": {\"name\": \"bk1\", \"instance\": \""
                      + instance
                      + "\", \"description\": \"first\", \"incremental\": 0}}")
              .post(api.path("backups"))
              .then()
              .statusCode(202)
              .body("backup.status", equalTo("NEW"))
              .body("backup.name", equalTo("bk1"))
              .body("backup.locationRef", nullValue())
              .body("backup.datastore.type", equalTo("postgresql"))
              .body("backup.datastore.version_id", equalTo(pg))
              .body("backup.project_id", equalTo(api.project))
              .extract()
              .path("backup.id");
      Envelope task = tasks.awaitOne(Duration.ofSeconds(10)).envelope();
      assertThat(task.method()).isEqualTo("create_backup");
      assertThat(task.args().get("backup_info").get("id").asText()).isEqualTo(id);
      assertThat(task.args().get("backup_info").get("backup_type").asText()).isEqualTo("full");
    }
    api.as()
        .get(api.path("instances/" + instance))
        .then()
        .body("instance.status", equalTo("BACKUP"));
    // a second backup, or an action, while one runs
    api.as()
        .body("{\"backup\": {\"name\": \"bk2\", \"instance\": \"" + instance + "\"}}")
        .post(api.path("backups"))
        .then()
        .statusCode(422);
    api.as()
        .body("{\"restart\": {}}")
        .post(api.path("instances/" + instance + "/action"))
        .then()
        .statusCode(422);
    api.as().get(api.path("backups")).then().statusCode(200).body("backups", hasSize(1));
    api.as()
        .get(api.path("instances/" + instance + "/backups"))
        .then()
        .statusCode(200)
        .body("backups", hasSize(1));
  }

  @Test
  void runningBackupsCannotBeDeletedAndOthersAreDeletedWithTheirChildren() {
    Api api = new Api();
    String instance = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    String running = backupRow(api.project, instance, "BUILDING", null);
    api.as()
        .delete(api.path("backups/" + running))
        .then()
        .statusCode(422)
        .body(
            "unprocessableEntity.message",
            equalTo("Backup " + running + " cannot be deleted because it is running."));
    String full = backupRow(api.project, instance, "COMPLETED", null);
    backupRow(api.project, instance, "COMPLETED", full);
    try (RabbitProbe tasks = RabbitProbe.bind("taskmanager-api-test")) {
      api.as().delete(api.path("backups/" + full)).then().statusCode(202);
      assertThat(tasks.await(2, Duration.ofSeconds(10)))
          .allMatch(d -> d.envelope().method().equals("delete_backup"));
    }
  }

  @Test
  void incrementalPicksTheNewestCompletedBackupAsParent() {
    Api api = new Api();
    String instance = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    String parent = backupRow(api.project, instance, "COMPLETED", null);
    api.as()
        .body(
            "{\"backup\": {\"name\": \"inc\", \"instance\": \""
                + instance
                + "\", \"incremental\": 1}}")
        .post(api.path("backups"))
        .then()
        .statusCode(202)
        .body("backup.parent_id", equalTo(parent));
  }

  @Test
  void backupErrors() {
    Api api = new Api();
    api.as()
        .body("{\"backup\": {\"name\": \"x\"}}")
        .post(api.path("backups"))
        .then()
        .statusCode(400);
    api.as()
        .body("{\"backup\": {\"name\": \"x\", \"instance\": \"" + UUID.randomUUID() + "\"}}")
        .post(api.path("backups"))
        .then()
        .statusCode(404);
    String building = Fixtures.instance(api.project).datastoreVersion(pg).building().insert();
    api.as()
        .body("{\"backup\": {\"name\": \"x\", \"instance\": \"" + building + "\"}}")
        .post(api.path("backups"))
        .then()
        .statusCode(422);
    api.as().get(api.path("backups/" + UUID.randomUUID())).then().statusCode(404);
    api.as().get(api.path("backups?datastore=nosuch")).then().statusCode(404);
    Api other = new Api();
    String instance = Fixtures.instance(other.project).datastoreVersion(pg).insert();
    String theirs = backupRow(other.project, instance, "COMPLETED", null);
    api.as().get(api.path("backups/" + theirs)).then().statusCode(404);
  }

  @Test
  void restoringAnUnfinishedBackupIsAConflictAndATooLargeOneForbidden() {
    Api api = new Api();
    String instance = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    String running = backupRow(api.project, instance, "BUILDING", null);
    String create =
        "{\"instance\": {\"name\": \"r\", \"flavorRef\": \"1\", \"volume\": {\"size\": %d},"
            + " \"datastore\": {\"type\": \"postgresql\", \"version\": \"15\"},"
            + " \"restorePoint\": {\"backupRef\": \"%s\"}}}";
    api.as()
        .body(String.format(create, 1, running))
        .post(api.path("instances"))
        .then()
        .statusCode(409);
    String big = backupRow(api.project, instance, "COMPLETED", null);
    Db.update("UPDATE backups SET size = 5 WHERE id = ?", big);
    api.as().body(String.format(create, 2, big)).post(api.path("instances")).then().statusCode(403);
    api.as().body(String.format(create, 6, big)).post(api.path("instances")).then().statusCode(200);
  }

  @Test
  void resetStatusFailsRunningBackups() {
    Api api = new Api();
    String instance = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    String running = backupRow(api.project, instance, "NEW", null);
    Api.admin()
        .body("{\"reset_status\": {}}")
        .post(api.path("instances/" + instance + "/action"))
        .then()
        .statusCode(202);
    assertThat(Db.value("SELECT state FROM backups WHERE id = ?", running)).isEqualTo("FAILED");
    assertThat(Instant.now()).isNotNull();
  }

  @Test
  void backupStrategies() {
    Api api = new Api();
    api.as()
        .body("{\"backup_strategy\": {\"swift_container\": \"my_backups\"}}")
        .post(api.path("backup_strategies"))
        .then()
        .statusCode(202)
        .body("backup_strategy.swift_container", equalTo("my_backups"))
        .body("backup_strategy.project_id", equalTo(api.project));
    api.as()
        .get(api.path("backup_strategies"))
        .then()
        .statusCode(200)
        .body("backup_strategies", hasSize(1));
    api.as().delete(api.path("backup_strategies")).then().statusCode(202);
    api.as().get(api.path("backup_strategies")).then().body("backup_strategies", hasSize(0));
  }
}
