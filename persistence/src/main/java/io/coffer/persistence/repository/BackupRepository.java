package io.coffer.persistence.repository;

import io.coffer.model.status.BackupState;
import io.coffer.persistence.entity.BackupEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Backups that are not deleted, by intent. */
@ApplicationScoped
public class BackupRepository implements PanacheRepositoryBase<BackupEntity, String> {

  private static final List<String> RUNNING = BackupState.RUNNING.stream().map(Enum::name).toList();

  /** A live backup. */
  public Optional<BackupEntity> live(String id) {
    return find("id = ?1 and deleted = false", id).firstResultOptional();
  }

  /** Which of these instances have a backup being taken. */
  public Set<String> instancesWithRunningBackup(Collection<String> instanceIds) {
    if (instanceIds.isEmpty()) {
      return Set.of();
    }
    return new HashSet<>(
        getEntityManager()
            .createQuery(
                "select distinct b.instanceId from BackupEntity b where b.instanceId in ?1"
                    + " and b.deleted = false and b.state in ?2",
                String.class)
            .setParameter(1, instanceIds)
            .setParameter(2, RUNNING)
            .getResultList());
  }

  /** Whether a backup of the instance is being taken. */
  public boolean runningOf(String instanceId) {
    return count("instanceId = ?1 and deleted = false and state in ?2", instanceId, RUNNING) > 0;
  }

  /** Backups of an instance being taken. */
  public List<BackupEntity> listRunningOf(String instanceId) {
    return list("instanceId = ?1 and deleted = false and state in ?2", instanceId, RUNNING);
  }

  /** Live children of a backup (incrementals based on it). */
  public List<BackupEntity> childrenOf(String parentId) {
    return list("parentId = ?1 and deleted = false", parentId);
  }
}
