package io.coffer.persistence.repository;

import io.coffer.persistence.entity.WalArchiveEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Rows of {@code wal_archives}. */
@ApplicationScoped
public class WalArchiveRepository implements PanacheRepositoryBase<WalArchiveEntity, String> {

  /** The archive of a project's instance (deleted or not). */
  public Optional<WalArchiveEntity> ofProject(String projectId, String instanceId) {
    return find("instanceId = ?1 and tenantId = ?2", instanceId, projectId).firstResultOptional();
  }
}
