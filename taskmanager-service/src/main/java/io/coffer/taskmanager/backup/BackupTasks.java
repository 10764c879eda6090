package io.coffer.taskmanager.backup;

import io.coffer.bus.MessageHandler;
import io.coffer.model.common.BackupInfo;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.status.BackupState;
import io.coffer.model.taskmanager.CreateBackupArgs;
import io.coffer.model.taskmanager.DeleteBackupArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import io.coffer.persistence.entity.BackupEntity;
import io.coffer.persistence.repository.BackupRepository;
import io.coffer.taskmanager.lifecycle.Lifecycle;
import io.coffer.taskmanager.messaging.GuestClient;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The taskmanager's backup tasks: {@code create_backup} hands a NEW backup to the instance's guest
 * (the guest reports progress to the conductor; {@link BackupWatcher} ends backups that stall);
 * {@code delete_backup} removes the stored data, then the record.
 */
final class BackupTasks {

  private BackupTasks() {}

  @Singleton
  static class Create implements MessageHandler<CreateBackupArgs, Void> {
    private final BackupRepository backups;
    private final Lifecycle lifecycle;
    private final GuestClient guests;
    private final BackupFailures failures;

    Create(
        BackupRepository backups,
        Lifecycle lifecycle,
        GuestClient guests,
        BackupFailures failures) {
      this.backups = backups;
      this.lifecycle = lifecycle;
      this.guests = guests;
      this.failures = failures;
    }

    @Override
    public Method<CreateBackupArgs, Void> method() {
      return TaskManagerMethods.CREATE_BACKUP;
    }

    @Override
    public Void handle(RequestContext context, CreateBackupArgs args) {
      BackupInfo info = args.backupInfo();
      if (info == null || info.id() == null) {
        throw new IllegalArgumentException("create_backup without backup_info.id");
      }
      Optional<BackupEntity> backup =
          QuarkusTransaction.requiringNew().call(() -> backups.live(info.id()));
      if (backup.isEmpty() || !BackupState.NEW.name().equals(backup.get().state)) {
        Log.infof(
            "backup %s: %s, nothing to start",
            info.id(), backup.map(b -> "state " + b.state).orElse("gone"));
        return null;
      }
      String instanceId = args.instanceId() != null ? args.instanceId() : info.instanceId();
      if (instanceId == null || lifecycle.live(instanceId).isEmpty()) {
        failures.fail(info.id(), "the instance " + instanceId + " is gone");
        return null;
      }
      guests.createBackup(context, instanceId, info);
      Log.infof("backup %s of instance %s: sent to the guest", info.id(), instanceId);
      return null;
    }
  }

  @Singleton
  static class Delete implements MessageHandler<DeleteBackupArgs, Void> {
    private final BackupRepository backups;
    private final Storage storage;
    private final Clock clock;
    private final io.coffer.taskmanager.notify.ApiEvents api;
    private final WalArchives walArchives;

    Delete(
        BackupRepository backups,
        Storage storage,
        Clock clock,
        io.coffer.taskmanager.notify.ApiEvents api,
        WalArchives walArchives) {
      this.walArchives = walArchives;
      this.api = api;
      this.backups = backups;
      this.storage = storage;
      this.clock = clock;
    }

    @Override
    public Method<DeleteBackupArgs, Void> method() {
      return TaskManagerMethods.DELETE_BACKUP;
    }

    @Override
    public Void handle(RequestContext context, DeleteBackupArgs args) {
      String id = args.backupId();
      Optional<BackupEntity> backup =
          QuarkusTransaction.requiringNew().call(() -> backups.live(id));
      if (backup.isEmpty()) {
        return null;
      }
      String failure = null;
      try {
        storage.forProject(backup.get().tenantId).delete(backup.get().container, id);
      } catch (IOException | RuntimeException e) {
        failure = "its data could not be deleted: " + e.getMessage();
      }
      String reason = failure;
      QuarkusTransaction.requiringNew()
          .run(
              () ->
                  backups
                      .live(id)
                      .ifPresent(
                          b -> {
                            Instant now = clock.instant();
                            b.updated = now;
                            if (reason != null) {
                              b.state = BackupState.DELETE_FAILED.name();
                              b.failReason = reason;
                            } else {
                              b.deleted = true;
                              b.deletedAt = now;
                            }
                            api.backup(id, "backup_delete", reason);
                          }));
      if (failure != null) {
        Log.warnf("backup %s: %s", id, failure);
      } else {
        Log.infof("backup %s: deleted", id);
        if (backup.get().instanceId != null) {
          // the instance's WAL archive keeps only what its kept backups replay forward
          walArchives.retain(backup.get().instanceId);
        }
      }
      return null;
    }
  }
}
