package io.coffer.testing;

import java.util.UUID;

/** Datastore rows for tests. */
public final class Datastores {

  private Datastores() {}

  /** A datastore version: returns its id. Creates the datastore when missing. */
  public static String version(String datastore, String version, String manager, boolean active) {
    Object dsId = Db.value("SELECT id FROM datastores WHERE name = ?", datastore);
    if (dsId == null) {
      dsId = UUID.randomUUID().toString();
      Db.update("INSERT INTO datastores (id, name) VALUES (?, ?)", dsId, datastore);
    }
    Object id =
        Db.value(
            "SELECT id FROM datastore_versions WHERE datastore_id = ? AND name = ?", dsId, version);
    if (id == null) {
      id = UUID.randomUUID().toString();
      Db.update(
          "INSERT INTO datastore_versions (id, datastore_id, name, active, manager, version, packages)"
              + " VALUES (?, ?, ?, ?, ?, ?, '')",
          id,
          dsId,
          version,
          active,
          manager,
          version);
    }
    return (String) id;
  }

  /** Makes a version its datastore's default. */
  public static void makeDefault(String versionId) {
    Db.update(
        "UPDATE datastores SET default_version_id = ? WHERE id = (SELECT datastore_id FROM"
            + " datastore_versions WHERE id = ?)",
        versionId,
        versionId);
  }

  /** Loads a parameter rule for a version. */
  public static void rule(
      String versionId, String name, String type, boolean restart, String min, String max) {
    Db.update(
        "INSERT INTO datastore_configuration_parameters (id, name, datastore_version_id,"
            + " restart_required, min_size, max_size, data_type) VALUES (?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (datastore_version_id, name) DO NOTHING",
        UUID.randomUUID().toString(),
        name,
        versionId,
        restart,
        min,
        max,
        type);
  }
}
