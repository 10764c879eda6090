package io.coffer.taskmanager.compute;

import io.coffer.model.common.FlavorInfo;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Copies what the compute driver offers to the tables the API serves. Flavors, where the cloud has
 * its own (Nova): new and changed ones are written, ones the cloud no longer has are marked deleted
 * (and renamed aside, as names are unique, when instances still refer to them). Volume types: the
 * driver's (Cinder's on OpenStack, the local driver's one kind), the others marked deleted.
 */
@ApplicationScoped
public class CatalogSync {

  private final ComputeDriver compute;
  private final DataSource db;

  CatalogSync(ComputeDriver compute, DataSource db) {
    this.compute = compute;
    this.db = db;
  }

  @Scheduled(
      every = "${coffer.taskmanager.openstack.flavor-sync-interval}",
      delayed = "1s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void scheduled() {
    try {
      sync();
    } catch (RuntimeException e) {
      Log.warnf("flavor sync failed: %s", e.getMessage());
    }
    try {
      syncVolumeTypes();
    } catch (RuntimeException e) {
      Log.warnf("volume type sync failed: %s", e.getMessage());
    }
  }

  /** Copies the driver's volume types now; returns how many it offers. */
  public int syncVolumeTypes() {
    List<VolumeTypeInfo> types = compute.volumeTypes();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        writeVolumeTypes(c, types);
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write the volume types: " + e.getMessage(), e);
    }
    return types.size();
  }

  /** Writes the driver's volume types in the caller's transaction; the others are deleted. */
  static void writeVolumeTypes(Connection c, List<VolumeTypeInfo> types) throws SQLException {
    try (PreparedStatement gone =
            c.prepareStatement(
                "UPDATE volume_types SET deleted = true, updated = now()"
                    + " WHERE NOT deleted AND NOT (id = ANY (?))");
        PreparedStatement upsert =
            c.prepareStatement(
                "INSERT INTO volume_types (id, name, is_public, description, deleted, created,"
                    + " updated) VALUES (?, ?, ?, ?, false, now(), now()) ON CONFLICT (id) DO"
                    + " UPDATE SET name = excluded.name, is_public = excluded.is_public,"
                    + " description = excluded.description, deleted = false, updated = now()")) {
      gone.setArray(
          1, c.createArrayOf("varchar", types.stream().map(VolumeTypeInfo::id).toArray()));
      gone.executeUpdate();
      for (VolumeTypeInfo t : types) {
        upsert.setString(1, t.id());
        upsert.setString(2, t.name());
        upsert.setBoolean(3, t.isPublic());
        upsert.setString(4, t.description());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
  }

  /** Copies the cloud's flavors now; returns how many it has (empty: the driver has none). */
  public Optional<Integer> sync() {
    Optional<List<FlavorInfo>> flavors = compute.flavors();
    if (flavors.isEmpty()) {
      return Optional.empty();
    }
    List<FlavorInfo> cloud = flavors.get();
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        int removed = write(c, cloud);
        c.commit();
        if (removed > 0) {
          Log.infof("%d flavors the cloud no longer has are marked deleted", removed);
        }
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write the flavors: " + e.getMessage(), e);
    }
    return Optional.of(cloud.size());
  }

  /** Writes the cloud's flavors in the caller's transaction; returns how many were removed. */
  static int write(Connection c, List<FlavorInfo> cloud) throws SQLException {
    String[] ids = cloud.stream().map(FlavorInfo::id).toArray(String[]::new);
    try (PreparedStatement gone =
            c.prepareStatement(
                "UPDATE flavors SET deleted = true, updated = now(),"
                    + " name = left(name, 200) || ' (deleted ' || left(id, 40) || ')'"
                    + " WHERE NOT deleted AND NOT (id = ANY (?))");
        PreparedStatement upsert =
            c.prepareStatement(
                "INSERT INTO flavors (id, name, ram, vcpus, disk, ephemeral, swap, is_public,"
                    + " deleted, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, true, false,"
                    + " now(), now()) ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
                    + " ram = excluded.ram, vcpus = excluded.vcpus, disk = excluded.disk,"
                    + " ephemeral = excluded.ephemeral, swap = excluded.swap, deleted = false,"
                    + " updated = now()")) {
      gone.setArray(1, c.createArrayOf("varchar", ids));
      int removed = gone.executeUpdate();
      for (FlavorInfo f : cloud) {
        upsert.setString(1, f.id());
        upsert.setString(2, f.name());
        upsert.setInt(3, orZero(f.ram()));
        upsert.setInt(4, orZero(f.vcpus()));
        upsert.setInt(5, orZero(f.disk()));
        upsert.setInt(6, orZero(f.ephemeral()));
        upsert.setInt(7, orZero(f.swap()));
        upsert.addBatch();
      }
      upsert.executeBatch();
      return removed;
    }
  }

  private static int orZero(Integer v) {
    return v == null ? 0 : v;
  }
}
