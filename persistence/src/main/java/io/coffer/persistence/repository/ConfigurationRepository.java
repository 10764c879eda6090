package io.coffer.persistence.repository;

import io.coffer.persistence.entity.ConfigurationEntity;
import io.coffer.persistence.entity.ConfigurationValueEntity;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Configuration groups and their values. */
@ApplicationScoped
public class ConfigurationRepository implements PanacheRepositoryBase<ConfigurationEntity, String> {

  /** A live group of a project ({@code null}: any project). */
  public Optional<ConfigurationEntity> live(String id, String projectId) {
    return projectId == null
        ? find("id = ?1 and deleted = false", id).firstResultOptional()
        : find("id = ?1 and tenantId = ?2 and deleted = false", id, projectId)
            .firstResultOptional();
  }

  /** One page of live groups after a marker ({@code projectId} null: all projects). */
  public List<ConfigurationEntity> page(String projectId, String marker, int limit) {
    String m = marker == null ? "" : marker;
    return projectId == null
        ? find("deleted = false and id > ?1 order by id", m).range(0, limit).list()
        : find("tenantId = ?1 and deleted = false and id > ?2 order by id", projectId, m)
            .range(0, limit)
            .list();
  }

  /** The live values of a group. */
  public List<ConfigurationValueEntity> values(String configurationId) {
    return getEntityManager()
        .createQuery(
            "from ConfigurationValueEntity v where v.configurationId = ?1 and v.deleted = false"
                + " order by v.key",
            ConfigurationValueEntity.class)
        .setParameter(1, configurationId)
        .getResultList();
  }

  /**
   * Replaces the values of a group: changed ones are updated, gone ones removed, new ones added.
   */
  public void replaceValues(String configurationId, Map<String, String> values) {
    Map<String, String> remaining = new LinkedHashMap<>(values);
    for (ConfigurationValueEntity v : values(configurationId)) {
      if (remaining.containsKey(v.key)) {
        v.value = remaining.remove(v.key);
      } else {
        getEntityManager().remove(v);
      }
    }
    getEntityManager().flush();
    remaining.forEach(
        (k, value) -> {
          ConfigurationValueEntity e = new ConfigurationValueEntity();
          e.configurationId = configurationId;
          e.key = k;
          e.value = value;
          getEntityManager().persist(e);
        });
  }
}
