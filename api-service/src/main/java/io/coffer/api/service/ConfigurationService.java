package io.coffer.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.fault.CofferException;
import io.coffer.persistence.entity.ConfigurationEntity;
import io.coffer.persistence.entity.ConfigurationValueEntity;
import io.coffer.persistence.entity.DatastoreEntity;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import io.coffer.persistence.repository.ConfigurationRepository;
import io.coffer.persistence.repository.InstanceRepository;
import io.coffer.persistence.repository.ParameterRuleRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Configuration groups: stored values checked against the version's parameter rules. */
@ApplicationScoped
public class ConfigurationService {

  private final ConfigurationRepository configurations;
  private final ParameterRuleRepository rules;
  private final InstanceRepository instances;
  private final DatastoreService datastores;
  private final Clock clock;

  ConfigurationService(
      ConfigurationRepository configurations,
      ParameterRuleRepository rules,
      InstanceRepository instances,
      DatastoreService datastores,
      Clock clock) {
    this.configurations = configurations;
    this.rules = rules;
    this.instances = instances;
    this.datastores = datastores;
    this.clock = clock;
  }

  /** A group of the project, or 404 {@code Configuration group with ID x could not be found.} */
  public ConfigurationEntity group(String projectId, String id) {
    return configurations
        .live(id, projectId)
        .orElseThrow(
            () ->
                CofferException.notFound(
                    "Configuration group with ID " + id + " could not be found."));
  }

  /** The rules of a version, for validating and typing values. */
  public ParameterRules rulesOf(DatastoreVersionEntity v) {
    DatastoreEntity ds = datastores.datastoreOf(v);
    return new ParameterRules(rules.ofVersion(v.id), (ds == null ? "" : ds.name) + " " + v.name);
  }

  /** The typed values of a group. */
  public Map<String, Object> values(ConfigurationEntity c) {
    ParameterRules r = rulesOf(datastores.versionById(c.datastoreVersionId));
    Map<String, Object> out = new LinkedHashMap<>();
    for (ConfigurationValueEntity v : configurations.values(c.id)) {
      out.put(v.key, r.typed(v.key, v.value));
    }
    return out;
  }

  /**
   * The overrides an instance of {@code version} gets from group {@code id}; 404 when the group is
   * unknown, 400 when it is for another datastore version.
   */
  public Map<String, Object> overridesFor(
      String projectId, String id, DatastoreVersionEntity version) {
    ConfigurationEntity c = group(projectId, id);
    if (version != null && !c.datastoreVersionId.equals(version.id)) {
      throw CofferException.badRequest(
          "The configuration group " + id + " is for another datastore version than the instance.");
    }
    return values(c);
  }

  /** Live instances using a group. */
  public long instanceCount(String id) {
    return instances.count("configurationId = ?1 and deleted = false", id);
  }

  /** Creates a group. */
  @Transactional
  public ConfigurationEntity create(
      String projectId,
      String name,
      String description,
      DatastoreVersionEntity v,
      JsonNode values) {
    Map<String, String> checked = rulesOf(v).check(values);
    Instant now = clock.instant();
    ConfigurationEntity c = new ConfigurationEntity();
    c.id = UUID.randomUUID().toString();
    c.name = name;
    c.description = description;
    c.tenantId = projectId;
    c.datastoreVersionId = v.id;
    c.created = now;
    c.updated = now;
    configurations.persist(c);
    configurations.replaceValues(c.id, checked);
    return c;
  }

  /**
   * Changes a group: {@code merge} adds to the values (PATCH), otherwise they are replaced (PUT).
   * Returns the parameter names that changed.
   */
  @Transactional
  public List<String> update(
      String projectId,
      String id,
      JsonNode values,
      boolean merge,
      String name,
      String description) {
    ConfigurationEntity c = group(projectId, id);
    List<String> changed = new ArrayList<>();
    if (values != null) {
      Map<String, String> checked =
          rulesOf(datastores.versionById(c.datastoreVersionId)).check(values);
      Map<String, String> next = new LinkedHashMap<>();
      if (merge) {
        configurations.values(c.id).forEach(v -> next.put(v.key, v.value));
      } else {
        configurations.values(c.id).forEach(v -> changed.add(v.key));
      }
      next.putAll(checked);
      changed.addAll(checked.keySet());
      configurations.replaceValues(c.id, next);
    }
    if (name != null) {
      c.name = name;
    }
    if (description != null) {
      c.description = description;
    }
    c.updated = clock.instant();
    return changed;
  }

  /** Deletes a group; 400 while instances use it. */
  @Transactional
  public void delete(String projectId, String id) {
    ConfigurationEntity c = group(projectId, id);
    if (instanceCount(id) > 0) {
      throw CofferException.badRequest(
          "A configuration group cannot be deleted if it is associated with one or more"
              + " non-terminated instances. Detach the configuration group from all"
              + " non-terminated instances and please try again.");
    }
    Instant now = clock.instant();
    c.deleted = true;
    c.deletedAt = now;
    c.updated = now;
  }
}
