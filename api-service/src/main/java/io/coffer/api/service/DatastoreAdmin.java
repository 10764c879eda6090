package io.coffer.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.fault.CofferException;
import io.coffer.persistence.entity.DatastoreEntity;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import io.coffer.persistence.entity.DatastoreVersionMetadataEntity;
import io.coffer.persistence.entity.ParameterRuleEntity;
import io.coffer.persistence.repository.BackupRepository;
import io.coffer.persistence.repository.ConfigurationRepository;
import io.coffer.persistence.repository.DatastoreRepository;
import io.coffer.persistence.repository.DatastoreVersionRepository;
import io.coffer.persistence.repository.InstanceRepository;
import io.coffer.persistence.repository.ParameterRuleRepository;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Registers datastores, versions and their configuration parameter rules: what Trove's {@code
 * trove-manage datastore_update}, {@code datastore_version_update} and {@code
 * db_load_datastore_config_parameters} do, and what the mgmt API offers.
 */
@ApplicationScoped
public class DatastoreAdmin {

  private static final Set<String> TYPES = Set.of("integer", "string", "boolean", "float");

  private final DatastoreRepository datastores;
  private final DatastoreVersionRepository versions;
  private final ParameterRuleRepository rules;
  private final Usage usage;
  private final DatastoreService lookup;

  DatastoreAdmin(
      DatastoreRepository datastores,
      DatastoreVersionRepository versions,
      ParameterRuleRepository rules,
      Usage usage,
      DatastoreService lookup) {
    this.datastores = datastores;
    this.versions = versions;
    this.rules = rules;
    this.usage = usage;
    this.lookup = lookup;
  }

  /** What refers to datastore versions. */
  @ApplicationScoped
  static class Usage {
    private final InstanceRepository instances;
    private final BackupRepository backups;
    private final ConfigurationRepository configurations;

    Usage(
        InstanceRepository instances,
        BackupRepository backups,
        ConfigurationRepository configurations) {
      this.instances = instances;
      this.backups = backups;
      this.configurations = configurations;
    }

    boolean inUse(String versionId) {
      return instances.count("datastoreVersionId = ?1 and deleted = false", versionId) > 0
          || backups.count("datastoreVersionId = ?1 and deleted = false", versionId) > 0
          || configurations.count("datastoreVersionId = ?1 and deleted = false", versionId) > 0;
    }
  }

  /** {@code datastore_update}: creates or updates a datastore and sets its default version. */
  @Transactional
  public DatastoreEntity datastoreUpdate(String name, String defaultVersion) {
    DatastoreEntity ds = datastores.find("name", name).firstResult();
    if (ds == null) {
      ds = new DatastoreEntity();
      ds.id = UUID.randomUUID().toString();
      ds.name = name;
      datastores.persist(ds);
    }
    if (defaultVersion == null || defaultVersion.isBlank()) {
      ds.defaultVersionId = null;
    } else {
      ds.defaultVersionId = lookup.version(ds, defaultVersion).id;
    }
    Log.infof("datastore %s updated (default version %s)", name, defaultVersion);
    return ds;
  }

  /**
   * {@code datastore_version_update}: creates or updates a version of a datastore (created when
   * missing); returns it.
   */
  @Transactional
  public DatastoreVersionEntity versionUpdate(
      String datastore,
      String name,
      String manager,
      String imageId,
      String imageTags,
      String packages,
      boolean active,
      String versionNumber) {
    if (manager == null || manager.isBlank()) {
      throw CofferException.badRequest("A datastore version needs a datastore manager.");
    }
    if (!io.coffer.model.config.DatastoreDefaults.supported(manager)) {
      throw CofferException.badRequest(
          io.coffer.model.config.DatastoreDefaults.unsupportedMessage(manager));
    }
    DatastoreEntity ds = lookup.find(datastore).orElseGet(() -> datastoreUpdate(datastore, null));
    String number = versionNumber == null || versionNumber.isBlank() ? name : versionNumber;
    DatastoreVersionEntity v =
        versions
            .find("datastoreId = ?1 and name = ?2 and version = ?3", ds.id, name, number)
            .firstResult();
    boolean created = v == null;
    if (created) {
      v = new DatastoreVersionEntity();
      v.id = UUID.randomUUID().toString();
      v.datastoreId = ds.id;
      v.name = name;
      v.version = number;
    }
    v.manager = manager;
    v.imageId = imageId == null || imageId.isBlank() ? null : imageId;
    v.imageTags = imageTags == null ? null : imageTags;
    v.packages = packages == null ? "" : packages;
    v.active = active;
    if (created) {
      versions.persist(v);
    }
    Log.infof(
        "datastore version %s %s updated (manager %s, active %s)",
        datastore, name, manager, active);
    return v;
  }

  /** Deletes a datastore (admin); 400 while it has versions. */
  @Transactional
  public void deleteDatastore(String idOrName) {
    DatastoreEntity ds = lookup.datastore(idOrName);
    if (versions.count("datastoreId", ds.id) > 0) {
      throw CofferException.badRequest(
          "Cannot delete datastore " + ds.name + ": delete its versions first.");
    }
    datastores.delete(ds);
  }

  /** Deletes a version and its parameter rules; 400 while anything uses it. */
  @Transactional
  public void deleteVersion(String id) {
    DatastoreVersionEntity v = lookup.versionById(id);
    if (usage.inUse(id)) {
      throw CofferException.badRequest(
          "Datastore version "
              + v.name
              + " is used by instances, backups or configuration groups.");
    }
    rules.delete("datastoreVersionId", id);
    DatastoreEntity ds = lookup.datastoreOf(v);
    if (ds != null && id.equals(ds.defaultVersionId)) {
      ds.defaultVersionId = null;
    }
    versions.delete(v);
  }

  /** Flavor ids a version is restricted to (empty: any). */
  public Set<String> flavorWhitelist(String versionId) {
    return whitelist(versionId, "flavor");
  }

  /** Volume type names (or ids) a version is restricted to (empty: any). */
  public Set<String> volumeTypeWhitelist(String versionId) {
    return whitelist(versionId, "volume_type");
  }

  private Set<String> whitelist(String versionId, String key) {
    return new HashSet<>(
        versions
            .getEntityManager()
            .createQuery(
                "select m.value from DatastoreVersionMetadataEntity m where m.datastoreVersionId = ?1"
                    + " and m.key = ?2 and m.deleted = false",
                String.class)
            .setParameter(1, versionId)
            .setParameter(2, key)
            .getResultList());
  }

  /**
   * Restricts a version to volume types (trove-manage's {@code datastore_version_volume_type_add});
   * one already there is refused.
   */
  @Transactional
  public void addVolumeTypes(String versionId, List<String> names) {
    Set<String> present = volumeTypeWhitelist(versionId);
    java.time.Instant now = java.time.Instant.now();
    for (String name : names) {
      if (present.contains(name)) {
        throw CofferException.badRequest(
            "Datastore version "
                + versionId
                + " and volume-type "
                + name
                + " mapping already exists.");
      }
      int revived =
          versions
              .getEntityManager()
              .createQuery(
                  "update DatastoreVersionMetadataEntity m set m.deleted = false,"
                      + " m.deletedAt = null, m.updatedAt = ?3 where m.datastoreVersionId = ?1"
                      + " and m.key = 'volume_type' and m.value = ?2 and m.deleted = true")
              .setParameter(1, versionId)
              .setParameter(2, name)
              .setParameter(3, now)
              .executeUpdate();
      if (revived > 0) {
        continue;
      }
      DatastoreVersionMetadataEntity m = new DatastoreVersionMetadataEntity();
      m.id = UUID.randomUUID().toString();
      m.datastoreVersionId = versionId;
      m.key = "volume_type";
      m.value = name;
      m.created = now;
      m.updatedAt = now;
      versions.getEntityManager().persist(m);
    }
  }

  /** Lifts a version's restriction to one volume type. */
  @Transactional
  public void deleteVolumeType(String versionId, String name) {
    int n =
        versions
            .getEntityManager()
            .createQuery(
                "update DatastoreVersionMetadataEntity m set m.deleted = true, m.deletedAt = ?3"
                    + " where m.datastoreVersionId = ?1 and m.key = 'volume_type'"
                    + " and m.value = ?2 and m.deleted = false")
            .setParameter(1, versionId)
            .setParameter(2, name)
            .setParameter(3, java.time.Instant.now())
            .executeUpdate();
    if (n == 0) {
      throw CofferException.notFound(
          "The volume type " + name + " is not valid for datastore version " + versionId + ".");
    }
  }

  /** The parameter rules of a version. */
  public List<ParameterRuleEntity> parameters(DatastoreVersionEntity v) {
    return rules.ofVersion(v.id);
  }

  /** One parameter rule; 404 when unknown. */
  public ParameterRuleEntity parameter(DatastoreVersionEntity v, String name) {
    return rules
        .ofVersion(v.id, name)
        .orElseThrow(
            () ->
                CofferException.notFound(
                    "No configuration parameter "
                        + name
                        + " for datastore version "
                        + v.name
                        + "."));
  }

  /** Creates or replaces a parameter rule. */
  @Transactional
  public ParameterRuleEntity putParameter(
      String versionId, String name, String type, boolean restartRequired, String min, String max) {
    String t = type == null ? "" : type.toLowerCase(Locale.ROOT);
    if (!TYPES.contains(t)) {
      throw CofferException.badRequest("Invalid data type " + type + "; use one of " + TYPES + ".");
    }
    if (t.equals("integer")) {
      if (min == null || max == null) {
        throw CofferException.badRequest("Integer parameters need min_size and max_size.");
      }
      try {
        if (Long.parseLong(max) < Long.parseLong(min)) {
          throw CofferException.badRequest("max_size must be greater than or equal to min_size.");
        }
      } catch (NumberFormatException e) {
        throw CofferException.badRequest("min_size and max_size must be integers.");
      }
    }
    ParameterRuleEntity p = rules.ofVersion(versionId, name).orElse(null);
    boolean created = p == null;
    if (created) {
      p = new ParameterRuleEntity();
      p.id = UUID.randomUUID().toString();
      p.name = name;
      p.datastoreVersionId = versionId;
    }
    // every column is set before persist: Hibernate inserts the state it has at persist time
    p.dataType = t;
    p.restartRequired = restartRequired;
    p.minSize = min;
    p.maxSize = max;
    if (created) {
      rules.persist(p);
    }
    return p;
  }

  /** Deletes a parameter rule; 400 when unknown (as Trove). */
  @Transactional
  public void deleteParameter(String versionId, String name) {
    ParameterRuleEntity p =
        rules
            .ofVersion(versionId, name)
            .orElseThrow(
                () -> CofferException.badRequest("No configuration parameter " + name + "."));
    rules.delete(p);
  }

  /**
   * {@code db_load_datastore_config_parameters}: loads rules in Trove's {@code
   * validation-rules.json} format: {@code {"configuration-parameters": [{"name", "type",
   * "restart_required", "min", "max"}]}}. Returns how many were loaded.
   */
  @Transactional
  public int loadParameters(String versionId, JsonNode rulesJson) {
    JsonNode list = rulesJson.path("configuration-parameters");
    if (!list.isArray()) {
      throw CofferException.badRequest("The rules file has no 'configuration-parameters' list.");
    }
    int n = 0;
    for (JsonNode r : list) {
      putParameter(
          versionId,
          r.path("name").asText(),
          r.path("type").asText(),
          r.path("restart_required").asBoolean(false),
          r.hasNonNull("min") ? r.get("min").asText() : null,
          r.hasNonNull("max") ? r.get("max").asText() : null);
      n++;
    }
    return n;
  }
}
