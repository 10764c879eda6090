package io.coffer.taskmanager.backup;

import io.coffer.model.common.WalArchive;
import io.coffer.persistence.entity.BackupEntity;
import io.coffer.persistence.entity.InstanceEntity;
import io.coffer.persistence.entity.WalArchiveEntity;
import io.coffer.persistence.repository.BackupRepository;
import io.coffer.persistence.repository.InstanceRepository;
import io.coffer.persistence.repository.WalArchiveRepository;
import io.coffer.storage.BackupStorage;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Retention of the instances' write-ahead log archives (point-in-time recovery): an archive keeps
 * what its oldest kept full backup needs to be replayed forward — segments from where that backup
 * starts — and goes altogether once its instance is deleted and no backup of it is kept. Applied
 * after a backup is deleted (by its owner or past an automated backup's retention) and after an
 * instance is deleted.
 */
@ApplicationScoped
public class WalArchives {

  private final WalArchiveRepository archives;
  private final BackupRepository backups;
  private final InstanceRepository instances;
  private final Storage storage;

  WalArchives(
      WalArchiveRepository archives,
      BackupRepository backups,
      InstanceRepository instances,
      Storage storage) {
    this.archives = archives;
    this.backups = backups;
    this.instances = instances;
    this.storage = storage;
  }

  /** What retention needs to know, read in one transaction. */
  private record Facts(
      WalArchiveEntity archive, boolean instanceGone, boolean backupRunning, BackupEntity oldest) {}

  /** Applies the retention rule to the archive of {@code instanceId}, if it has one. */
  public void retain(String instanceId) {
    Facts f = QuarkusTransaction.requiringNew().call(() -> facts(instanceId));
    if (f == null || f.backupRunning()) {
      // a backup in progress may start in WAL already archived: the next deletion prunes
      return;
    }
    try {
      BackupStorage s = storage.forProject(f.archive().tenantId);
      String container = f.archive().container;
      if (f.oldest() == null && f.instanceGone()) {
        int n = 0;
        for (String name : s.listObjects(container)) {
          n += s.deleteObject(container, name) ? 1 : 0;
        }
        QuarkusTransaction.requiringNew().run(() -> archives.deleteById(instanceId));
        Log.infof(
            "WAL archive of deleted instance %s: no backup kept, %d object(s) removed",
            instanceId, n);
        return;
      }
      // with no full backup, WAL archived so far serves no restore: a new backup starts later
      String keepFrom = f.oldest() == null ? null : s.metadata(f.oldest().location).get("wal_from");
      if (f.oldest() != null
          && (keepFrom == null || !WalArchive.SEGMENT.matcher(keepFrom).matches())) {
        return;
      }
      int n = 0;
      for (String name : s.listObjects(container)) {
        String segment = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        if (WalArchive.SEGMENT.matcher(segment).matches()
            && (keepFrom == null || segment.compareTo(keepFrom) < 0)) {
          n += s.deleteObject(container, name) ? 1 : 0;
        }
      }
      if (n > 0) {
        Log.infof(
            "WAL archive of instance %s: %d segment(s) before %s removed",
            instanceId, n, keepFrom == null ? "any kept backup" : keepFrom);
      }
    } catch (IOException | RuntimeException e) {
      Log.warnf("WAL archive of instance %s not pruned: %s", instanceId, e.getMessage());
    }
  }

  private Facts facts(String instanceId) {
    Optional<WalArchiveEntity> archive = archives.findByIdOptional(instanceId);
    if (archive.isEmpty()) {
      return null;
    }
    Optional<InstanceEntity> instance = instances.findByIdOptional(instanceId);
    boolean gone = instance.isEmpty() || instance.get().deleted;
    List<BackupEntity> kept =
        backups
            .find(
                "instanceId = ?1 and deleted = false and parentId is null and state = 'COMPLETED'"
                    + " and location is not null",
                instanceId)
            .list();
    BackupEntity oldest = kept.stream().min(Comparator.comparing(b -> b.created)).orElse(null);
    return new Facts(archive.get(), gone, backups.runningOf(instanceId), oldest);
  }
}
