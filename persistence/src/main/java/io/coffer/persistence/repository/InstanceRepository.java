package io.coffer.persistence.repository;

import io.coffer.persistence.entity.InstanceEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
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

  /**
   * One page of a project's live instances ({@code null}: all projects), ordered by id after {@code
   * marker}, with one row more than {@code limit} to tell whether another page exists.
   */
  public List<InstanceEntity> page(String projectId, String marker, int limit) {
    String m = marker == null ? "" : marker;
    return projectId == null
        ? find("deleted = false and id > ?1 order by id", m).range(0, limit).list()
        : find("tenantId = ?1 and deleted = false and id > ?2 order by id", projectId, m)
            .range(0, limit)
            .list();
  }

  /** Live instances whose current task is past its deadline. */
  public List<InstanceEntity> overdue(Instant now) {
    return list("deleted = false and taskDeadline is not null and taskDeadline < ?1", now);
  }

  /** Live replicas of a source. */
  public List<InstanceEntity> replicasOf(String sourceId) {
    return list("slaveOfId = ?1 and deleted = false order by id", sourceId);
  }

  /** Live replicas of several sources. */
  public List<InstanceEntity> replicasOf(Collection<String> sourceIds) {
    return sourceIds.isEmpty()
        ? List.of()
        : list("slaveOfId in ?1 and deleted = false order by id", sourceIds);
  }

  /** Live instances using a configuration group. */
  public List<InstanceEntity> usingConfiguration(String configurationId) {
    return list("configurationId = ?1 and deleted = false order by id", configurationId);
  }
}
