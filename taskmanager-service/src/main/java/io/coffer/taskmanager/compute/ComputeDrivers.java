package io.coffer.taskmanager.compute;

import io.coffer.storage.openstack.OpenStackAccount;
import io.coffer.storage.openstack.OpenStackSession;
import io.coffer.taskmanager.compute.local.LocalComputeDriver;
import io.coffer.taskmanager.compute.openstack.OpenStackComputeDriver;
import io.coffer.taskmanager.compute.openstack.OpenStackSettings;
import io.coffer.taskmanager.config.TaskManagerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/** The compute driver the configuration names ({@code coffer.taskmanager.compute-driver}). */
@ApplicationScoped
class ComputeDrivers {

  @Produces
  @ApplicationScoped
  ComputeDriver driver(
      TaskManagerConfig config, Instance<LocalComputeDriver> local, DataSource db) {
    DriverCheck.check(config.computeDriver());
    if ("openstack".equals(config.computeDriver())) {
      OpenStackSettings settings = settings(config.openstack());
      return new OpenStackComputeDriver(
          settings,
          new OpenStackSession(settings.account()),
          spec -> imageTags(db, spec.instanceId()));
    }
    return local.get();
  }

  static OpenStackSettings settings(TaskManagerConfig.OpenStack o) {
    return new OpenStackSettings(
        new OpenStackAccount(
            required(o.authUrl(), "auth-url"),
            required(o.username(), "username"),
            required(o.password(), "password"),
            o.userDomain(),
            required(o.project(), "project"),
            o.projectDomain(),
            o.region(),
            o.endpointInterface()),
        required(o.network(), "network"),
        o.managementNetworks().orElse(List.of()),
        o.floatingNetwork(),
        o.imageId(),
        o.volumeType(),
        o.availabilityZone(),
        o.serverTimeout(),
        o.volumeTimeout(),
        o.deleteTimeout(),
        o.pollInterval(),
        o.guestBusHost(),
        o.guestConfigPath(),
        o.guestService(),
        o.datastorePorts());
  }

  private static String required(java.util.Optional<String> value, String key) {
    return value
        .filter(v -> !v.isBlank())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "coffer.taskmanager.openstack."
                        + key
                        + " is required by the openstack driver"));
  }

  /** The Glance tags of an instance's datastore version (Trove's image_tags). */
  static List<String> imageTags(DataSource db, String instanceId) {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT v.image_tags FROM instances i"
                    + " JOIN datastore_versions v ON v.id = i.datastore_version_id"
                    + " WHERE i.id = ?")) {
      ps.setString(1, instanceId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next() || rs.getString(1) == null) {
          return List.of();
        }
        return Arrays.stream(rs.getString(1).split(","))
            .map(String::trim)
            .filter(t -> !t.isEmpty())
            .toList();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the image tags: " + e.getMessage(), e);
    }
  }
}
