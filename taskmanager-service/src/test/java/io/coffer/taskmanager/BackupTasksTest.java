package io.coffer.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coffer.bus.BusClient;
import io.coffer.model.common.BackupInfo;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.taskmanager.CreateBackupArgs;
import io.coffer.model.taskmanager.DeleteBackupArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import io.coffer.storage.FilesystemStorage;
import io.coffer.taskmanager.backup.Storage;
import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.coffer.testing.Projects;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Backup tasks and the backup watcher against the real broker, database and storage. */
@QuarkusTest
class BackupTasksTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @Inject BusClient bus;
  @Inject Storage storage;

  private static String backup(String project, String instanceId, String state, Instant created) {
    String id = UUID.randomUUID().toString();
    Db.update(
        "INSERT INTO backups (id, name, tenant_id, state, instance_id, created, updated,"
            + " backup_type) VALUES (?, 'b', ?, ?, ?, ?, ?, 'full')",
        id,
        project,
        state,
        instanceId,
        Timestamp.from(created),
        Timestamp.from(created));
    return id;
  }

  private static Map<String, Object> row(String id) {
    return Db.row("SELECT * FROM backups WHERE id = ?", id).orElseThrow();
  }

  @Test
  void aBackupPastItsDeadlineEndsFailedWithTheReasonAndLosesItsPartialData() throws Exception {
    String project = Projects.fresh();
    String instance = Fixtures.instance(project).insert();
    String stuck = backup(project, instance, "BUILDING", Instant.now().minus(Duration.ofHours(3)));
    Path area = storage.projectDirectory(project, null);
    Files.writeString(area.resolve(stuck + ".tar.part"), "half a backup");

    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(row(stuck).get("state")).isEqualTo("FAILED"));
    assertThat(row(stuck).get("fail_reason")).isEqualTo("the backup did not finish within 120 min");
    assertThat(area.resolve(stuck + ".tar.part")).doesNotExist();
    assertThat(area.getParent()).isEqualTo(storage.path());
  }

  @Test
  void aBackupOfADeletedInstanceOrOfASilentGuestEndsFailed() {
    String project = Projects.fresh();
    String deleted = Fixtures.instance(project).insert();
    Db.update("UPDATE instances SET deleted = true, deleted_at = now() WHERE id = ?", deleted);
    String silent =
        Fixtures.instance(project)
            .service(0x21, "healthy", Instant.now().minus(Duration.ofMinutes(5)))
            .insert();
    String orphan = backup(project, deleted, "NEW", Instant.now());
    String unheard =
        backup(project, silent, "BUILDING", Instant.now().minus(Duration.ofMinutes(1)));
    String healthy =
        backup(project, Fixtures.instance(project).insert(), "BUILDING", Instant.now());

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(row(orphan).get("fail_reason"))
                  .isEqualTo("the instance was deleted during the backup");
              assertThat((String) row(unheard).get("fail_reason"))
                  .startsWith("the guest stopped reporting during the backup");
            });
    assertThat(row(healthy).get("state")).isEqualTo("BUILDING");
  }

  @Test
  void deleteBackupRemovesTheStoredDataThenTheRecord() throws Exception {
    String project = Projects.fresh();
    String instance = Fixtures.instance(project).insert();
    String id = backup(project, instance, "COMPLETED", Instant.now());
    FilesystemStorage fs = (FilesystemStorage) storage.forProject(project);
    String location =
        fs.store(id, new ByteArrayInputStream(new byte[] {1, 2, 3}), Map.of()).location();
    Db.update("UPDATE backups SET location = ? WHERE id = ?", location, id);

    bus.cast(
        Topics.TASKMANAGER,
        TaskManagerMethods.DELETE_BACKUP,
        RequestContext.service(),
        new DeleteBackupArgs(id));

    await().atMost(WAIT).untilAsserted(() -> assertThat(row(id).get("deleted")).isEqualTo(true));
    assertThat(fs.exists(location)).isFalse();
    try (var files = Files.list(fs.root())) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(id));
    }
  }

  @Test
  void aBackupAskedForAGoneInstanceFailsAtOnce() {
    String project = Projects.fresh();
    String gone = UUID.randomUUID().toString();
    String id = backup(project, gone, "NEW", Instant.now());

    bus.cast(
        Topics.TASKMANAGER,
        TaskManagerMethods.CREATE_BACKUP,
        RequestContext.service(),
        new CreateBackupArgs(
            new BackupInfo(id, "b", null, gone, "full", null, null, "postgresql", "15", null),
            gone));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                // the task or the watcher, whichever comes first
                assertThat((String) row(id).get("fail_reason"))
                    .matches("the instance (" + gone + " is gone|was deleted during the backup)"));
  }
}
