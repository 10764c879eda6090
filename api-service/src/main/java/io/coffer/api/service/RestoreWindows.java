package io.coffer.api.service;

import io.coffer.api.fault.CofferException;
import io.coffer.persistence.entity.BackupEntity;
import io.coffer.persistence.entity.InstanceEntity;
import io.coffer.persistence.entity.WalArchiveEntity;
import io.coffer.persistence.repository.BackupRepository;
import io.coffer.persistence.repository.InstanceRepository;
import io.coffer.persistence.repository.WalArchiveRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Point-in-time recovery (a Coffer extension): the window within which an instance can be
 * recovered, and what a recovery to a time restores. An instance is restorable from the completion
 * of its oldest kept full backup up to where its write-ahead log archive in the backup storage
 * reaches (the guest keeps it within {@code coffer.taskmanager.guest-wal-archive-interval} of the
 * present). Both survive the instance: a deleted instance can be recovered while one of its backups
 * is kept.
 */
@ApplicationScoped
public class RestoreWindows {

  private final WalArchiveRepository archives;
  private final BackupRepository backups;
  private final InstanceRepository instances;

  RestoreWindows(
      WalArchiveRepository archives, BackupRepository backups, InstanceRepository instances) {
    this.archives = archives;
    this.backups = backups;
    this.instances = instances;
  }

  /**
   * The restorable window of an instance.
   *
   * @param earliest the completion of the oldest kept full backup
   * @param latest every commit up to this instant is archived
   * @param archive the archive
   * @param fulls the kept full backups, oldest first
   */
  public record Window(
      Instant earliest, Instant latest, WalArchiveEntity archive, List<BackupEntity> fulls) {

    /** The window as the instance view shows it to its owner. */
    public Map<String, Object> view() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("earliest", earliest.toString());
      m.put("latest", latest.toString());
      return m;
    }

    boolean contains(Instant t) {
      return !t.isBefore(earliest) && !t.isAfter(latest);
    }
  }

  /**
   * What a recovery restores: the full backup {@code base}, then the archive of {@code instanceId}
   * replayed up to {@code stopAt} (null: all of it — nothing was committed between the archive's
   * last commit and the time asked for).
   */
  public record Recovery(BackupEntity base, String instanceId, Instant stopAt, Instant time) {}

  /** The window of a project's instance, deleted or not, if it has one. */
  public Optional<Window> of(String projectId, String instanceId) {
    return archives.ofProject(projectId, instanceId).flatMap(this::windowOf);
  }

  private Optional<Window> windowOf(WalArchiveEntity a) {
    List<BackupEntity> fulls =
        backups
            .find(
                "instanceId = ?1 and deleted = false and parentId is null and state = 'COMPLETED'"
                    + " and location is not null",
                a.instanceId)
            .list()
            .stream()
            .sorted(Comparator.comparing((BackupEntity b) -> b.updated))
            .toList();
    if (fulls.isEmpty() || fulls.get(0).updated.isAfter(a.latestTime)) {
      return Optional.empty();
    }
    return Optional.of(new Window(fulls.get(0).updated, a.latestTime, a, fulls));
  }

  /**
   * Resolves a recovery of {@code instanceId} (or of the instance {@code backup} was taken from) to
   * {@code time} (null: the latest restorable time): a time outside the window is refused with the
   * window in the message.
   */
  public Recovery resolve(String projectId, String instanceId, BackupEntity backup, Instant time) {
    String source = backup != null ? backup.instanceId : instanceId;
    if (backup == null) {
      Optional<InstanceEntity> i =
          instances.find("id = ?1 and tenantId = ?2", instanceId, projectId).firstResultOptional();
      if (i.isEmpty()) {
        throw CofferException.notFound("Instance " + instanceId + " cannot be found.");
      }
    }
    Window w =
        (source == null ? Optional.<Window>empty() : of(projectId, source))
            .orElseThrow(
                () ->
                    CofferException.badRequest(
                        "Instance "
                            + source
                            + " has no restorable window: point-in-time recovery needs a"
                            + " completed full backup of a PostgreSQL instance and its"
                            + " write-ahead log archived since."));
    Instant t = time == null ? w.latest() : time;
    Instant earliest = backup != null ? backup.updated : w.earliest();
    if (t.isBefore(earliest) || t.isAfter(w.latest())) {
      throw CofferException.badRequest(
          "The restore time "
              + t
              + " is outside the restorable window of instance "
              + source
              + (backup != null ? " from backup " + backup.id : "")
              + ": earliest "
              + earliest
              + ", latest "
              + w.latest()
              + ".");
    }
    BackupEntity base = backup;
    if (base == null) {
      // the newest full backup completed by then: the least WAL to replay
      base =
          w.fulls().stream().filter(b -> !b.updated.isAfter(t)).reduce((x, y) -> y).orElseThrow();
    }
    Instant stopAt = t.isAfter(w.archive().markerTime) ? null : t;
    return new Recovery(base, source, stopAt, t);
  }

  /** The datastore version of a project's instance, deleted or not. */
  public String versionOf(String projectId, String instanceId) {
    return instances
        .find("id = ?1 and tenantId = ?2", instanceId, projectId)
        .firstResultOptional()
        .map(i -> i.datastoreVersionId)
        .orElseThrow(
            () -> CofferException.notFound("Instance " + instanceId + " cannot be found."));
  }
}
