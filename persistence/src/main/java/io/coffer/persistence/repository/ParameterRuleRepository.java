package io.coffer.persistence.repository;

import io.coffer.persistence.entity.ParameterRuleEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Configuration parameter rules of datastore versions. */
@ApplicationScoped
public class ParameterRuleRepository implements PanacheRepositoryBase<ParameterRuleEntity, String> {

  /** The live rules of a version, by name. */
  public List<ParameterRuleEntity> ofVersion(String versionId) {
    return list("datastoreVersionId = ?1 and deleted = false order by name", versionId);
  }

  /** One live rule of a version. */
  public Optional<ParameterRuleEntity> ofVersion(String versionId, String name) {
    return find("datastoreVersionId = ?1 and name = ?2 and deleted = false", versionId, name)
        .firstResultOptional();
  }
}
