package io.coffer.api.dashboard;

import io.coffer.api.auth.CallerHolder;
import io.coffer.api.config.ApiConfig;
import io.coffer.api.service.InstanceQueries;
import io.coffer.api.service.InstanceSnapshot;
import io.coffer.api.service.VolumeStats;
import io.coffer.bus.BusConfig;
import io.coffer.bus.Topology;
import io.coffer.model.routing.Topics;
import io.coffer.model.status.InstanceStatusRules;
import io.coffer.model.status.InstanceTask;
import io.coffer.model.status.ServiceStatus;
import io.coffer.persistence.registry.ServiceRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The data of the operators' dashboard ({@code /dashboard/}), for administrators only (see the auth
 * filter): every instance across projects with its health, the backups, and the control plane's
 * processes and queues. The page polls these every few seconds.
 */
@Path("/dashboard/api")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

  private static final int PAGE = 1000;
  private static final String FAULTS =
      "SELECT DISTINCT ON (instance_id) instance_id, message, created, details FROM instance_faults"
          + " WHERE NOT deleted ORDER BY instance_id, created DESC";
  private static final String FLAVORS = "SELECT id, name FROM flavors";
  private static final String BACKUPS =
      "SELECT b.id, b.name, b.tenant_id, b.instance_id, b.state, b.size, b.backup_type,"
          + " b.parent_id, b.created, b.updated, b.fail_reason, i.name AS instance_name"
          + " FROM backups b LEFT JOIN instances i ON i.id = b.instance_id WHERE NOT b.deleted"
          + " ORDER BY (b.state IN ('NEW', 'BUILDING', 'SAVING')) DESC, b.updated DESC LIMIT 500";

  private final InstanceQueries instances;
  private final VolumeStats volumes;
  private final ServiceRegistry registry;
  private final Topology topology;
  private final BusConfig bus;
  private final ApiConfig config;
  private final CallerHolder caller;
  private final DataSource db;
  private final Clock clock;

  @SuppressWarnings("checkstyle:ParameterNumber")
  DashboardResource(
      InstanceQueries instances,
      VolumeStats volumes,
      ServiceRegistry registry,
      Topology topology,
      BusConfig bus,
      ApiConfig config,
      CallerHolder caller,
      DataSource db,
      Clock clock) {
    this.instances = instances;
    this.volumes = volumes;
    this.registry = registry;
    this.topology = topology;
    this.bus = bus;
    this.config = config;
    this.caller = caller;
    this.db = db;
    this.clock = clock;
  }

  /** Every live instance with its health. */
  @GET
  @Path("/instances")
  public Map<String, Object> instances() throws SQLException {
    Map<String, String[]> faults = new HashMap<>();
    Map<String, String> flavors = new HashMap<>();
    try (Connection c = db.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(FAULTS);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          faults.put(
              rs.getString(1),
              new String[] {
                rs.getString(2), rs.getTimestamp(3).toInstant().toString(), rs.getString(4)
              });
        }
      }
      try (PreparedStatement ps = c.prepareStatement(FLAVORS);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          flavors.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    Instant now = clock.instant();
    List<Map<String, Object>> rows = new ArrayList<>();
    String marker = null;
    while (true) {
      List<InstanceSnapshot> page = instances.page(null, marker, PAGE);
      for (InstanceSnapshot s : page) {
        rows.add(row(s, now, faults, flavors));
      }
      if (page.size() < PAGE) {
        break;
      }
      marker = page.get(page.size() - 1).instance().id;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("now", now.toString());
    out.put("heartbeat_expiry", config.heartbeatExpiry().toSeconds());
    out.put("instances", rows);
    return out;
  }

  private Map<String, Object> row(
      InstanceSnapshot s, Instant now, Map<String, String[]> faults, Map<String, String> flavors) {
    var i = s.instance();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", i.id);
    r.put("name", i.name);
    r.put("project", i.tenantId);
    r.put("datastore", s.datastore() == null ? null : s.datastore().name);
    r.put("version", s.version() == null ? null : s.version().name);
    r.put("flavor", flavors.getOrDefault(i.flavorId, i.flavorId));
    r.put("volume_size", i.volumeSize);
    r.put("volume_used", volumes.knownUsedGb(caller.get().context(), s));
    r.put("status", s.status());
    r.put("operating_status", s.operatingStatus());
    Instant heartbeat = s.service() == null ? null : s.service().updatedAt;
    r.put("service_status", s.service() == null ? null : s.service().statusDescription);
    r.put(
        "heartbeat_age",
        heartbeat == null ? null : Math.max(0, Duration.between(heartbeat, now).toSeconds()));
    // silent as the API sees it: an idle instance whose guest stopped reporting
    r.put(
        "silent",
        s.task() == InstanceTask.NONE
            && s.storedService() != ServiceStatus.RESTART_REQUIRED
            && InstanceStatusRules.isSilent(heartbeat, now, config.heartbeatExpiry()));
    r.put("task", s.task().dbText());
    r.put("replica_of", i.slaveOfId);
    String[] fault = faults.get(i.id);
    r.put("fault", fault == null ? null : fault[0]);
    r.put("fault_at", fault == null ? null : fault[1]);
    // operators see the cause behind the tenant's message
    r.put("fault_details", fault == null ? null : fault[2]);
    return r;
  }

  /** Backups: running ones first, then the newest. */
  @GET
  @Path("/backups")
  public Map<String, Object> backups() throws SQLException {
    Instant now = clock.instant();
    List<Map<String, Object>> rows = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement(BACKUPS);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", rs.getString("id"));
        r.put("name", rs.getString("name"));
        r.put("project", rs.getString("tenant_id"));
        r.put("instance_id", rs.getString("instance_id"));
        r.put("instance_name", rs.getString("instance_name"));
        r.put("state", rs.getString("state"));
        double size = rs.getDouble("size");
        r.put("size_gb", rs.wasNull() ? null : size);
        r.put("type", rs.getString("backup_type"));
        r.put("parent_id", rs.getString("parent_id"));
        Instant created = rs.getTimestamp("created").toInstant();
        r.put("created", created.toString());
        r.put("age", Duration.between(created, now).toSeconds());
        r.put("fail_reason", rs.getString("fail_reason"));
        rows.add(r);
      }
    }
    return Map.of("now", now.toString(), "backups", rows);
  }

  /** The control plane: its processes and its queues. */
  @GET
  @Path("/services")
  public Map<String, Object> services() {
    Instant now = clock.instant();
    List<Map<String, Object>> processes = new ArrayList<>();
    for (ServiceRegistry.Member m : registry.members()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("service", m.service());
      p.put("host", m.host());
      p.put("pid", m.pid());
      p.put("version", m.version());
      p.put("uptime", Duration.between(m.started(), now).toSeconds());
      p.put("last_seen", Duration.between(m.lastSeen(), now).toSeconds());
      boolean alive = m.alive(now, registry.interval());
      p.put("state", !alive ? "gone" : m.ready() ? "ready" : "not ready");
      p.put("detail", m.detail());
      processes.add(p);
    }
    List<Map<String, Object>> queues = new ArrayList<>();
    for (String q : List.of(bus.taskmanagerTopic(), bus.conductorTopic(), Topics.DEAD_LETTER)) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("queue", q);
      r.put("messages", topology.depth(q));
      r.put("consumers", topology.consumers(q));
      queues.add(r);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("now", now.toString());
    out.put("processes", processes);
    out.put("queues", queues);
    return out;
  }
}
