package io.coffer.api.service;

import io.coffer.api.config.ApiConfig;
import io.coffer.api.fault.CofferException;
import io.coffer.persistence.entity.ConfigurationEntity;
import io.coffer.persistence.entity.DatastoreEntity;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import io.coffer.persistence.entity.InstanceEntity;
import io.coffer.persistence.entity.ServiceStatusEntity;
import io.coffer.persistence.repository.BackupRepository;
import io.coffer.persistence.repository.ConfigurationRepository;
import io.coffer.persistence.repository.DatastoreRepository;
import io.coffer.persistence.repository.DatastoreVersionRepository;
import io.coffer.persistence.repository.InstanceFaultRepository;
import io.coffer.persistence.repository.InstanceRepository;
import io.coffer.persistence.repository.ServiceStatusRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads instances with their service status, running backups, datastore, replicas and fault: one
 * query per kind for a whole page, never one per instance.
 */
@ApplicationScoped
public class InstanceLoader {

  private final InstanceRepository instances;
  private final ServiceStatusRepository statuses;
  private final BackupRepository backups;
  private final DatastoreVersionRepository versions;
  private final DatastoreRepository datastores;
  private final InstanceFaultRepository faults;
  private final ConfigurationRepository configurations;
  private final ApiConfig config;
  private final Clock clock;

  @SuppressWarnings("checkstyle:ParameterNumber")
  InstanceLoader(
      InstanceRepository instances,
      ServiceStatusRepository statuses,
      BackupRepository backups,
      DatastoreVersionRepository versions,
      DatastoreRepository datastores,
      InstanceFaultRepository faults,
      ConfigurationRepository configurations,
      ApiConfig config,
      Clock clock) {
    this.instances = instances;
    this.statuses = statuses;
    this.backups = backups;
    this.versions = versions;
    this.datastores = datastores;
    this.faults = faults;
    this.configurations = configurations;
    this.config = config;
    this.clock = clock;
  }

  /** A live instance of the project, or 404 {@code Resource <id> cannot be found.} */
  public InstanceEntity entity(String projectId, String id) {
    return instances
        .liveOfProject(id, projectId)
        .orElseThrow(() -> CofferException.resourceNotFound(id));
  }

  /** A live instance of the project with everything its detail view needs. */
  public InstanceSnapshot one(String projectId, String id) {
    return load(List.of(entity(projectId, id)), true).get(0);
  }

  /** Snapshots of instances; {@code detail} adds faults and configuration groups. */
  public List<InstanceSnapshot> load(List<InstanceEntity> rows, boolean detail) {
    if (rows.isEmpty()) {
      return List.of();
    }
    List<String> ids = rows.stream().map(i -> i.id).toList();
    Map<String, ServiceStatusEntity> byInstance =
        statuses.ofInstances(ids).stream()
            .collect(Collectors.toMap(s -> s.instanceId, Function.identity(), (a, b) -> a));
    Set<String> running = backups.instancesWithRunningBackup(ids);
    Map<String, List<String>> replicas = new HashMap<>();
    for (InstanceEntity r : instances.replicasOf(ids)) {
      replicas.computeIfAbsent(r.slaveOfId, k -> new ArrayList<>()).add(r.id);
    }
    Map<String, DatastoreVersionEntity> versionById = new HashMap<>();
    Map<String, DatastoreEntity> datastoreById = new HashMap<>();
    for (InstanceEntity i : rows) {
      if (i.datastoreVersionId != null && !versionById.containsKey(i.datastoreVersionId)) {
        DatastoreVersionEntity v = versions.findById(i.datastoreVersionId);
        versionById.put(i.datastoreVersionId, v);
        if (v != null) {
          datastoreById.computeIfAbsent(v.datastoreId, datastores::findById);
        }
      }
    }
    Instant now = clock.instant();
    List<InstanceSnapshot> out = new ArrayList<>(rows.size());
    for (InstanceEntity i : rows) {
      DatastoreVersionEntity v = versionById.get(i.datastoreVersionId);
      ConfigurationEntity conf =
          detail && i.configurationId != null ? configurations.findById(i.configurationId) : null;
      out.add(
          new InstanceSnapshot(
              i,
              byInstance.get(i.id),
              running.contains(i.id),
              v,
              v == null ? null : datastoreById.get(v.datastoreId),
              detail ? faults.latest(i.id).orElse(null) : null,
              replicas.getOrDefault(i.id, List.of()),
              conf,
              now,
              config.heartbeatExpiry()));
    }
    return out;
  }
}
