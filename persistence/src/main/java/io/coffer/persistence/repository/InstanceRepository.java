package io.coffer.persistence.repository;

import io.coffer.persistence.entity.InstanceEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Instances that are not deleted, by intent. */
@ApplicationScoped
public class InstanceRepository implements PanacheRepositoryBase<InstanceEntity, String> {

  /** A live (not deleted) instance. */
  public Optional<InstanceEntity> live(String id) {
    return find("id = ?1 and deleted = false", id).firstResultOptional();
  }

  /** A live instance of a project. */
  public Optional<InstanceEntity> liveOfProject(String id, String projectId) {
    return find("id = ?1 and tenantId = ?2 and deleted = false", id, projectId)
        .firstResultOptional();
  }

  /** Live instances whose current task is past its deadline. */
  public List<InstanceEntity> overdue(Instant now) {
    return list("deleted = false and taskDeadline is not null and taskDeadline < ?1", now);
  }

  /** Live replicas of a source. */
  public List<InstanceEntity> replicasOf(String sourceId) {
    return list("slaveOfId = ?1 and deleted = false", sourceId);
  }
}
