package io.coffer.taskmanager.task;

import io.coffer.bus.MessageHandler;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.status.BackupState;
import io.coffer.model.taskmanager.CreateBackupArgs;
import io.coffer.model.taskmanager.DeleteBackupArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import io.coffer.persistence.repository.BackupRepository;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.time.Instant;

/**
 * Backup tasks until the backup engine lands: a backup asked for ends FAILED with the reason (so
 * its instance does not stay in BACKUP), and deleting one only removes its record, since no data
 * was stored.
 */
final class NotSupportedBackups {

  private NotSupportedBackups() {}

  @Singleton
  static class Create implements MessageHandler<CreateBackupArgs, Void> {
    private final BackupRepository backups;

    Create(BackupRepository backups) {
      this.backups = backups;
    }

    @Override
    public Method<CreateBackupArgs, Void> method() {
      return TaskManagerMethods.CREATE_BACKUP;
    }

    @Override
    @Transactional
    public Void handle(RequestContext context, CreateBackupArgs args) {
      backups
          .live(args.backupInfo().id())
          .filter(b -> BackupState.fromName(b.state).map(BackupState::isRunning).orElse(false))
          .ifPresent(
              b -> {
                b.state = BackupState.FAILED.name();
                b.description =
                    (b.description == null ? "" : b.description + " ")
                        + "(failed: backups are not supported by this Coffer release)";
                b.updated = Instant.now();
                Log.warnf("backup %s: failed, backups are not supported yet", b.id);
              });
      return null;
    }
  }

  @Singleton
  static class Delete implements MessageHandler<DeleteBackupArgs, Void> {
    private final BackupRepository backups;

    Delete(BackupRepository backups) {
      this.backups = backups;
    }

    @Override
    public Method<DeleteBackupArgs, Void> method() {
      return TaskManagerMethods.DELETE_BACKUP;
    }

    @Override
    @Transactional
    public Void handle(RequestContext context, DeleteBackupArgs args) {
      backups
          .live(args.backupId())
          .ifPresent(
              b -> {
                Instant now = Instant.now();
                b.deleted = true;
                b.deletedAt = now;
                b.updated = now;
              });
      return null;
    }
  }
}
