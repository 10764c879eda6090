package io.coffer.api.v1.view;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.api.service.InstanceSnapshot;
import io.coffer.persistence.entity.InstanceEntity;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trove's instance views (InstanceView, InstanceDetailView). Views are ordered maps because many of
 * Trove's keys appear only in some states (replicas, fault, configuration, addresses) or only to
 * admins.
 */
public final class InstanceViews {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<List<Map<String, Object>>> ADDRESSES =
      new TypeReference<>() {};
  private static final TypeReference<Map<String, Object>> ACCESS = new TypeReference<>() {};

  private InstanceViews() {}

  /** The list item view. */
  public static Map<String, Object> summary(InstanceSnapshot s, Links links, boolean admin) {
    InstanceEntity i = s.instance();
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", i.id);
    v.put("name", i.name);
    v.put("status", s.status());
    v.put("operating_status", s.operatingStatus());
    v.put("links", links.of("instances/" + i.id));
    v.put(
        "flavor",
        Map.of("id", String.valueOf(i.flavorId), "links", links.of("flavors/" + i.flavorId)));
    Map<String, Object> ds = new LinkedHashMap<>();
    ds.put("type", s.datastore() == null ? null : s.datastore().name);
    ds.put("version", s.version() == null ? null : s.version().name);
    v.put("datastore", ds);
    v.put("region", i.regionId);
    v.put("access", access(i));
    if (i.volumeSize != null) {
      v.put("volume", new LinkedHashMap<>(Map.of("size", i.volumeSize)));
    }
    List<Map<String, Object>> addresses = addresses(i);
    if (!addresses.isEmpty()) {
      List<String> ips = new ArrayList<>();
      addresses.forEach(a -> ips.add(String.valueOf(a.get("address"))));
      v.put("ip", ips);
      v.put("addresses", addresses);
    }
    if (i.hostname != null) {
      v.put("hostname", i.hostname);
    }
    if (i.slaveOfId != null) {
      v.put("replica_of", Map.of("id", i.slaveOfId, "links", links.of("instances/" + i.slaveOfId)));
    }
    if (!s.replicaIds().isEmpty()) {
      List<Map<String, Object>> replicas = new ArrayList<>();
      for (String r : s.replicaIds()) {
        replicas.add(Map.of("id", r, "links", links.of("instances/" + r)));
      }
      v.put("replicas", replicas);
    }
    if (i.autoFailover != null) {
      // Coffer: the instance's own automatic failover choice (absent: the operator's default)
      v.put("auto_failover", i.autoFailover);
    }
    if (admin) {
      v.put("tenant_id", i.tenantId);
    }
    return v;
  }

  /** The detail view; {@code volumeUsed} in GB or {@code null} when unknown. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> detail(
      InstanceSnapshot s, Links links, boolean admin, Double volumeUsed) {
    InstanceEntity i = s.instance();
    Map<String, Object> v = summary(s, links, admin);
    v.put("created", Times.format(i.created));
    v.put("updated", Times.format(i.updated));
    v.put(
        "service_status_updated", Times.format(s.service() == null ? null : s.service().updatedAt));
    ((Map<String, Object>) v.get("datastore"))
        .put("version_number", s.version() == null ? null : s.version().version);
    if (volumeUsed != null && v.get("volume") instanceof Map<?, ?> volume) {
      ((Map<String, Object>) volume).put("used", volumeUsed);
    }
    if (s.fault() != null) {
      Map<String, Object> fault = new LinkedHashMap<>();
      fault.put("message", s.fault().message);
      fault.put("created", Times.format(s.fault().created));
      fault.put("details", admin ? s.fault().details : null);
      v.put("fault", fault);
    }
    if (s.configuration() != null) {
      v.put(
          "configuration",
          Map.of(
              "id", s.configuration().id,
              "name", s.configuration().name,
              "links", links.of("configurations/" + s.configuration().id)));
    }
    if (i.locality != null) {
      v.put("locality", i.locality);
    }
    if (i.clusterId != null) {
      v.put("cluster_id", i.clusterId);
    }
    if (admin) {
      v.put("server_id", i.computeInstanceId);
      v.put("volume_id", i.volumeId);
      v.put("encrypted_rpc_messaging", i.encryptedKey != null);
    }
    return v;
  }

  /** The stored access settings, or {@code {"is_public": false}}. */
  public static Map<String, Object> access(InstanceEntity i) {
    if (i.access != null) {
      try {
        return JSON.readValue(i.access, ACCESS);
      } catch (IOException e) {
        // an unreadable value is shown as the default
      }
    }
    return Map.of("is_public", false);
  }

  /** The stored addresses. */
  public static List<Map<String, Object>> addresses(InstanceEntity i) {
    if (i.addresses == null || i.addresses.isBlank()) {
      return List.of();
    }
    try {
      return JSON.readValue(i.addresses, ADDRESSES);
    } catch (IOException e) {
      return List.of();
    }
  }
}
