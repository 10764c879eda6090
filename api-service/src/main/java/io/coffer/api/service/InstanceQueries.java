package io.coffer.api.service;

import io.coffer.api.config.ApiConfig;
import io.coffer.api.fault.CofferException;
import io.coffer.persistence.entity.ConfigurationEntity;
import io.coffer.persistence.entity.DatastoreEntity;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import io.coffer.persistence.entity.InstanceEntity;
import io.coffer.persistence.entity.InstanceFaultEntity;
import io.coffer.persistence.entity.ServiceStatusEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;

/**
 * The read side of instances (list and show), on plain JDBC: one statement returns a page of
 * instances with their service status, datastore, running backups and replicas. The API's busiest
 * requests then cost one round trip and no ORM bookkeeping. The rows become detached entities, so
 * the views are the same as on the write side.
 */
@ApplicationScoped
public class InstanceQueries {

  private static final String SELECT =
      "SELECT i.id, i.name, i.created, i.updated, i.task_id, i.task_description, i.flavor_id,"
          + " i.volume_size, i.tenant_id, i.server_status, i.datastore_version_id,"
          + " i.configuration_id, i.slave_of_id, i.cluster_id, i.region_id, i.encrypted_key,"
          + " i.access, i.addresses, i.hostname, i.locality, i.compute_instance_id, i.volume_id,"
          + " i.auto_failover,"
          + " s.status_id, s.status_description, s.updated_at,"
          + " v.name AS v_name, v.version AS v_version, v.manager, v.datastore_id, d.name AS d_name,"
          + " EXISTS (SELECT 1 FROM backups b WHERE b.instance_id = i.id AND NOT b.deleted"
          + "   AND b.state IN ('NEW', 'BUILDING', 'SAVING')) AS backup_running,"
          + " ARRAY(SELECT r.id FROM instances r WHERE r.slave_of_id = i.id AND NOT r.deleted"
          + "   ORDER BY r.id) AS replicas"
          + " FROM instances i"
          + " LEFT JOIN service_statuses s ON s.instance_id = i.id"
          + " LEFT JOIN datastore_versions v ON v.id = i.datastore_version_id"
          + " LEFT JOIN datastores d ON d.id = v.datastore_id";

  private static final String PAGE_OF_PROJECT =
      SELECT + " WHERE i.tenant_id = ? AND NOT i.deleted AND i.id > ? ORDER BY i.id LIMIT ?";
  private static final String PAGE_OF_ALL =
      SELECT + " WHERE NOT i.deleted AND i.id > ? ORDER BY i.id LIMIT ?";
  private static final String ONE =
      SELECT + " WHERE i.id = ? AND i.tenant_id = ? AND NOT i.deleted";
  private static final String FAULT =
      "SELECT id, message, details, created FROM instance_faults WHERE instance_id = ?"
          + " AND NOT deleted ORDER BY created DESC LIMIT 1";
  private static final String CONFIGURATION =
      "SELECT id, name, datastore_version_id, tenant_id FROM configurations WHERE id = ?";

  private final DataSource db;
  private final ApiConfig config;
  private final Clock clock;

  InstanceQueries(DataSource db, ApiConfig config, Clock clock) {
    this.db = db;
    this.config = config;
    this.clock = clock;
  }

  /**
   * Up to {@code limit} live instances after {@code marker}, by id ({@code projectId} null: all).
   */
  public List<InstanceSnapshot> page(String projectId, String marker, int limit) {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement(projectId == null ? PAGE_OF_ALL : PAGE_OF_PROJECT)) {
      int i = 1;
      if (projectId != null) {
        ps.setString(i++, projectId);
      }
      ps.setString(i++, marker == null ? "" : marker);
      ps.setInt(i, limit);
      List<InstanceSnapshot> out = new ArrayList<>();
      Instant now = clock.instant();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(snapshot(rs, null, null, now));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot list instances", e);
    }
  }

  /** One live instance of the project with its fault and configuration group, or 404. */
  public InstanceSnapshot one(String projectId, String id) {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(ONE)) {
      ps.setString(1, id);
      ps.setString(2, projectId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw CofferException.resourceNotFound(id);
        }
        String configurationId = rs.getString("configuration_id");
        return snapshot(rs, fault(c, id), configuration(c, configurationId), clock.instant());
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read instance " + id, e);
    }
  }

  private static InstanceFaultEntity fault(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(FAULT)) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        InstanceFaultEntity f = new InstanceFaultEntity();
        f.id = rs.getString("id");
        f.instanceId = id;
        f.message = rs.getString("message");
        f.details = rs.getString("details");
        f.created = instant(rs, "created");
        return f;
      }
    }
  }

  private static ConfigurationEntity configuration(Connection c, String id) throws SQLException {
    if (id == null) {
      return null;
    }
    try (PreparedStatement ps = c.prepareStatement(CONFIGURATION)) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        ConfigurationEntity g = new ConfigurationEntity();
        g.id = rs.getString("id");
        g.name = rs.getString("name");
        g.datastoreVersionId = rs.getString("datastore_version_id");
        g.tenantId = rs.getString("tenant_id");
        return g;
      }
    }
  }

  private InstanceSnapshot snapshot(
      ResultSet rs, InstanceFaultEntity fault, ConfigurationEntity configuration, Instant now)
      throws SQLException {
    InstanceEntity i = new InstanceEntity();
    i.id = rs.getString("id");
    i.name = rs.getString("name");
    i.created = instant(rs, "created");
    i.updated = instant(rs, "updated");
    i.taskId = rs.getInt("task_id");
    i.taskDescription = rs.getString("task_description");
    i.flavorId = rs.getString("flavor_id");
    int size = rs.getInt("volume_size");
    i.volumeSize = rs.wasNull() ? null : size;
    i.tenantId = rs.getString("tenant_id");
    i.serverStatus = rs.getString("server_status");
    i.datastoreVersionId = rs.getString("datastore_version_id");
    i.configurationId = rs.getString("configuration_id");
    i.slaveOfId = rs.getString("slave_of_id");
    i.clusterId = rs.getString("cluster_id");
    i.regionId = rs.getString("region_id");
    i.encryptedKey = rs.getString("encrypted_key");
    i.access = rs.getString("access");
    i.addresses = rs.getString("addresses");
    i.hostname = rs.getString("hostname");
    i.locality = rs.getString("locality");
    i.computeInstanceId = rs.getString("compute_instance_id");
    i.volumeId = rs.getString("volume_id");
    boolean autoFailover = rs.getBoolean("auto_failover");
    i.autoFailover = rs.wasNull() ? null : autoFailover;
    ServiceStatusEntity s = null;
    String description = rs.getString("status_description");
    if (description != null) {
      s = new ServiceStatusEntity();
      s.instanceId = i.id;
      s.statusId = rs.getInt("status_id");
      s.statusDescription = description;
      s.updatedAt = instant(rs, "updated_at");
    }
    DatastoreVersionEntity v = null;
    DatastoreEntity d = null;
    if (rs.getString("v_name") != null) {
      v = new DatastoreVersionEntity();
      v.id = i.datastoreVersionId;
      v.name = rs.getString("v_name");
      v.version = rs.getString("v_version");
      v.manager = rs.getString("manager");
      v.datastoreId = rs.getString("datastore_id");
      d = new DatastoreEntity();
      d.id = v.datastoreId;
      d.name = rs.getString("d_name");
    }
    Array replicas = rs.getArray("replicas");
    List<String> replicaIds =
        replicas == null ? List.of() : Arrays.asList((String[]) replicas.getArray());
    return new InstanceSnapshot(
        i,
        s,
        rs.getBoolean("backup_running"),
        v,
        d,
        fault,
        replicaIds,
        configuration,
        now,
        config.heartbeatExpiry());
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
