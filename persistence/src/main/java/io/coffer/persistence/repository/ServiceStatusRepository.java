package io.coffer.persistence.repository;

import io.coffer.persistence.entity.ServiceStatusEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Service statuses, one per instance. */
@ApplicationScoped
public class ServiceStatusRepository implements PanacheRepositoryBase<ServiceStatusEntity, String> {

  /** The service status of an instance. */
  public Optional<ServiceStatusEntity> ofInstance(String instanceId) {
    return find("instanceId", instanceId).firstResultOptional();
  }

  /** The service statuses of several instances. */
  public List<ServiceStatusEntity> ofInstances(Collection<String> instanceIds) {
    return instanceIds.isEmpty() ? List.of() : list("instanceId in ?1", instanceIds);
  }
}
