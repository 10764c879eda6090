package io.coffer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.coffer.model.rpc.Envelope;
import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.coffer.testing.RabbitProbe;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    String building = backupRow(api.project, instance, "BUILDING", null);
    String completed = backupRow(api.project, instance, "COMPLETED", null);
    Db.update(
        "UPDATE backups SET updated = now() - interval '1 hour' WHERE id IN (?, ?, ?)",
        running,
        building,
        completed);
    api.as()
        .get(api.path("instances/" + instance))
        .then()
        .body("instance.status", equalTo("BACKUP"));
    Api.admin()
        .body("{\"reset_status\": {}}")
        .post(api.path("instances/" + instance + "/action"))
        .then()
        .statusCode(202);
    for (String failed : List.of(running, building)) {
      api.as()
          .get(api.path("backups/" + failed))
          .then()
          .body("backup.status", equalTo("FAILED"))
          .body(
              "backup.fail_reason",
              equalTo("The instance's status was reset while the backup was running."));
      assertThat((java.sql.Timestamp) Db.value("SELECT updated FROM backups WHERE id = ?", failed))
          .isAfter(java.sql.Timestamp.from(Instant.now().minusSeconds(60)));
    }
    // a backup that had ended is left as it was
    api.as()
        .get(api.path("backups/" + completed))
        .then()
        .body("backup.status", equalTo("COMPLETED"));
    api.as()
        .get(api.path("instances/" + instance))
        .then()
        .body("instance.status", equalTo("ACTIVE"));
  }

  @Test
  void aProjectMayRegisterOnlyItsOwnBackupData() {
    Api owner = new Api();
    Api other = new Api();
    String instance = Fixtures.instance(owner.project).datastoreVersion(pg).insert();
    String theirs = backupRow(owner.project, instance, "COMPLETED", null);
    String location = "file:///var/lib/coffer/backups/" + theirs + ".tar";
    Db.update(
        "UPDATE backups SET location = ?, checksum = 'c0ffee' WHERE id = ?", location, theirs);
    String register =
        "{\"backup\": {\"name\": \"imported\", \"restore_from\": {\"remote_location\": \"%s\","
            + " \"local_datastore_version_id\": \""
            + pg
            + "\", \"size\": 0.5}}}";
    long otherBackups = backupsOf(other.project);

    // another project's object and an object that does not exist get the same answer
    for (String foreign :
        List.of(location, "file:///var/lib/coffer/backups/" + UUID.randomUUID() + ".tar")) {
      other
          .as()
          .body(String.format(register, foreign))
          .post(other.path("backups"))
          .then()
          .statusCode(400)
          .body(
              "badRequest.message",
              equalTo(
                  "The backup location "
                      + foreign
                      + " cannot be registered: only the data of this project's own completed"
                      + " backups can."));
    }
    assertThat(backupsOf(other.project)).isEqualTo(otherBackups);
    assertThat(
            Db.value(
                "SELECT coalesce(sum(in_use + reserved), 0) FROM quota_usages"
                    + " WHERE tenant_id = ? AND resource = 'backups'",
                other.project))
        .isEqualTo(0L);

    // the owner registers its own data: a restorable backup with the original's checksum
    String copy =
        owner
            .as()
            .body(String.format(register, location))
            .post(owner.path("backups"))
            .then()
            .statusCode(202)
            .body("backup.status", equalTo("RESTORED"))
            .body("backup.locationRef", equalTo(location))
            .extract()
            .path("backup.id");
    assertThat(Db.value("SELECT checksum FROM backups WHERE id = ?", copy)).isEqualTo("c0ffee");
  }

  private static long backupsOf(String project) {
    return (Long) Db.value("SELECT count(*) FROM backups WHERE tenant_id = ?", project);
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
    api.as()
        .body("{\"backup_strategy\": {\"swift_container\": \"../etc\"}}")
        .post(api.path("backup_strategies"))
        .then()
        .statusCode(400)
        .body("badRequest.message", startsWith("The container name ../etc is not valid"));
  }

  /** The container the taskmanager is told to put a new backup of {@code instance} into. */
  private static String containerOfNextBackup(Api api, String instance, String extra) {
    try (RabbitProbe tasks = RabbitProbe.bind("taskmanager-api-test")) {
      String id =
          api.as()
              .body(
                  "{\"backup\": {\"name\": \"b\", \"instance\": \""
                      + instance
                      + "\""
                      + extra
                      + "}}")
              .post(api.path("backups"))
              .then()
              .statusCode(202)
              .extract()
              .path("backup.id");
      Envelope task = tasks.awaitOne(Duration.ofSeconds(10)).envelope();
      String sent = task.args().get("backup_info").path("swift_container").asText(null);
      assertThat(Db.value("SELECT container FROM backups WHERE id = ?", id)).isEqualTo(sent);
      // the backup ends, so that the next one may start
      Db.update("UPDATE backups SET state = 'COMPLETED' WHERE id = ?", id);
      return sent;
    }
  }

  @Test
  void backupsGoToTheContainerOfTheirStrategy() {
    Api api = new Api();
    String one = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    String two = Fixtures.instance(api.project).datastoreVersion(pg).insert();
    assertThat(containerOfNextBackup(api, one, "")).isNull();

    api.as()
        .body("{\"backup_strategy\": {\"swift_container\": \"project_backups\"}}")
        .post(api.path("backup_strategies"))
        .then()
        .statusCode(202);
    api.as()
        .body(
            "{\"backup_strategy\": {\"swift_container\": \"one_backups\", \"instance_id\": \""
                + one
                + "\"}}")
        .post(api.path("backup_strategies"))
        .then()
        .statusCode(202);

    // the instance's strategy first, then the project's; a container in the request wins
    assertThat(containerOfNextBackup(api, one, "")).isEqualTo("one_backups");
    assertThat(containerOfNextBackup(api, two, "")).isEqualTo("project_backups");
    assertThat(containerOfNextBackup(api, two, ", \"swift_container\": \"adhoc\""))
        .isEqualTo("adhoc");
    api.as()
        .body(
            "{\"backup\": {\"name\": \"b\", \"instance\": \""
                + two
                + "\", \"swift_container\": \"a/b\"}}")
        .post(api.path("backups"))
        .then()
        .statusCode(400)
        .body("badRequest.message", startsWith("The container name a/b is not valid"));
  }
}
