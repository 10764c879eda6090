package io.coffer.api.service;

import io.coffer.api.config.ApiConfig;
import io.coffer.persistence.repository.BackupRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;

/**
 * The lookups a request needs (datastores, flavors, configuration groups, volume types, backups,
 * instances) and the shared settings, bundled so that services stay small.
 */
@ApplicationScoped
public class Resolver {

  private final DatastoreService datastores;
  private final FlavorService flavors;
  private final ConfigurationService configurations;
  private final VolumeTypeService volumeTypes;
  private final BackupRepository backups;
  private final InstanceLoader loader;
  private final ApiConfig config;
  private final Clock clock;

  @SuppressWarnings("checkstyle:ParameterNumber")
  Resolver(
      DatastoreService datastores,
      FlavorService flavors,
      ConfigurationService configurations,
      VolumeTypeService volumeTypes,
      BackupRepository backups,
      InstanceLoader loader,
      ApiConfig config,
      Clock clock) {
    this.datastores = datastores;
    this.flavors = flavors;
    this.configurations = configurations;
    this.volumeTypes = volumeTypes;
    this.backups = backups;
    this.loader = loader;
    this.config = config;
    this.clock = clock;
  }

  public DatastoreService datastores() {
    return datastores;
  }

  public FlavorService flavors() {
    return flavors;
  }

  public ConfigurationService configurations() {
    return configurations;
  }

  public VolumeTypeService volumeTypes() {
    return volumeTypes;
  }

  public BackupRepository backups() {
    return backups;
  }

  public InstanceLoader loader() {
    return loader;
  }

  public ApiConfig config() {
    return config;
  }

  public Clock clock() {
    return clock;
  }
}
