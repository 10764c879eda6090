package io.coffer.api.service;

import io.coffer.api.fault.CofferException;
import io.coffer.persistence.entity.DatastoreEntity;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import io.coffer.persistence.repository.DatastoreRepository;
import io.coffer.persistence.repository.DatastoreVersionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Looks up datastores and their versions by id or name, with Trove's errors. */
@ApplicationScoped
public class DatastoreService {

  private final DatastoreRepository datastores;
  private final DatastoreVersionRepository versions;

  DatastoreService(DatastoreRepository datastores, DatastoreVersionRepository versions) {
    this.datastores = datastores;
    this.versions = versions;
  }

  /** All datastores, by name. */
  public List<DatastoreEntity> all() {
    return datastores.list("order by name");
  }

  /** A datastore by id or name, or 404 {@code Datastore 'x' cannot be found.} */
  public DatastoreEntity datastore(String idOrName) {
    return find(idOrName)
        .orElseThrow(
            () -> CofferException.notFound("Datastore '" + idOrName + "' cannot be found."));
  }

  /** A datastore by id or name. */
  public Optional<DatastoreEntity> find(String idOrName) {
    if (idOrName == null) {
      return Optional.empty();
    }
    return datastores
        .findByIdOptional(idOrName)
        .or(() -> datastores.find("name", idOrName).firstResultOptional());
  }

  /** The versions of a datastore, active ones only unless {@code includeInactive}. */
  public List<DatastoreVersionEntity> versionsOf(DatastoreEntity ds, boolean includeInactive) {
    List<DatastoreVersionEntity> list =
        includeInactive
            ? versions.list("datastoreId", ds.id)
            : versions.list("datastoreId = ?1 and active = true", ds.id);
    return list.stream().sorted(Comparator.comparing(v -> v.name)).toList();
  }

  /**
   * A version of a datastore by id or name, or 400 {@code Datastore version 'x' cannot be found.}
   * (Trove answers 400 here, not 404).
   */
  public DatastoreVersionEntity version(DatastoreEntity ds, String idOrName) {
    Optional<DatastoreVersionEntity> byId =
        versions.find("id = ?1 and datastoreId = ?2", idOrName, ds.id).firstResultOptional();
    if (byId.isPresent()) {
      return byId.get();
    }
    List<DatastoreVersionEntity> byName =
        versions.list("name = ?1 and datastoreId = ?2", idOrName, ds.id);
    if (byName.isEmpty()) {
      throw CofferException.badRequest("Datastore version '" + idOrName + "' cannot be found.");
    }
    if (byName.size() > 1) {
      throw CofferException.badRequest(
          "Multiple datastore versions are named '" + idOrName + "'; use the version id.");
    }
    return byName.get(0);
  }

  /** A version by id, or 404. */
  public DatastoreVersionEntity versionById(String id) {
    return versions
        .findByIdOptional(id)
        .orElseThrow(
            () -> CofferException.notFound("Datastore version '" + id + "' cannot be found."));
  }

  /** A version by id, if it exists. */
  public Optional<DatastoreVersionEntity> findVersion(String id) {
    return id == null ? Optional.empty() : versions.findByIdOptional(id);
  }

  /** The datastore of a version. */
  public DatastoreEntity datastoreOf(DatastoreVersionEntity version) {
    return datastores.findById(version.datastoreId);
  }

  /**
   * The version a create asks for: the named datastore (or the default one) and the named version
   * (or the datastore's default), which must be active.
   */
  public DatastoreVersionEntity resolveForCreate(
      String type, String version, String defaultDatastore) {
    String dsName = type != null ? type : defaultDatastore;
    if (dsName == null) {
      throw CofferException.badRequest(
          "Please specify datastore. Default datastore cannot be found.");
    }
    DatastoreEntity ds = datastore(dsName);
    DatastoreVersionEntity v;
    if (version != null) {
      v = version(ds, version);
    } else if (ds.defaultVersionId != null) {
      v = versions.findById(ds.defaultVersionId);
    } else {
      throw CofferException.badRequest(
          "Default version for datastore '" + ds.name + "' not found.");
    }
    if (v == null || !v.active) {
      throw CofferException.badRequest(
          "Datastore version '" + (v == null ? version : v.name) + "' is not active.");
    }
    return v;
  }
}
