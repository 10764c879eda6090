package io.coffer.model.rpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The oslo.context request context that travels with every message as flattened {@code
 * _context_<key>} entries. Keys Coffer does not know are kept and passed on unchanged.
 *
 * <p>{@link #toString()} never prints the auth token.
 */
public final class RequestContext {

  /** Context keys oslo.context 5.0 writes, in its order, plus Trove's. */
  public static final List<String> OSLO_KEYS =
      List.of(
          "user",
          "project_id",
          "system_scope",
          "project",
          "domain",
          "user_domain",
          "project_domain",
          "is_admin",
          "read_only",
          "show_deleted",
          "auth_token",
          "request_id",
          "global_request_id",
          "resource_uuid",
          "roles",
          "user_identity",
          "is_admin_project",
          "limit",
          "marker",
          "service_catalog");

  private static final String AUTH_TOKEN = "auth_token";

  private final Map<String, Object> values;

  private RequestContext(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Wraps decoded context entries (keys without the {@code _context_} prefix). */
  public static RequestContext of(Map<String, Object> values) {
    return new RequestContext(Objects.requireNonNull(values, "values"));
  }

  /**
   * The context a guest agent sends with its own reports: every oslo key present and empty, as
   * Trove's guest does ({@code roles: []}, {@code is_admin_project: true}).
   */
  public static RequestContext empty() {
    Map<String, Object> v = base();
    v.put("request_id", newRequestId());
    return new RequestContext(v);
  }

  /** A context for a request made by {@code user} in {@code projectId} with the given roles. */
  public static RequestContext forUser(
      String user, String projectId, List<String> roles, boolean admin, String requestId) {
    Map<String, Object> v = base();
    v.put("user", user);
    v.put("project_id", projectId);
    v.put("project", projectId);
    v.put("is_admin", admin);
    v.put("request_id", requestId == null ? newRequestId() : requestId);
    v.put("roles", roles == null ? List.of() : new ArrayList<>(roles));
    v.put("user_identity", String.join(" ", dash(user), dash(projectId), "-", "-", "-"));
    v.put("is_admin_project", admin);
    return new RequestContext(v);
  }

  /** A context for work a control-plane daemon starts itself (sweepers, retries). */
  public static RequestContext service() {
    Map<String, Object> v = base();
    v.put("is_admin", true);
    v.put("request_id", newRequestId());
    return new RequestContext(v);
  }

  private static Map<String, Object> base() {
    Map<String, Object> v = new LinkedHashMap<>();
    for (String key : OSLO_KEYS) {
      v.put(key, null);
    }
    v.put("is_admin", false);
    v.put("read_only", false);
    v.put("show_deleted", false);
    v.put("roles", List.of());
    v.put("user_identity", "- - - - -");
    v.put("is_admin_project", true);
    return v;
  }

  private static String dash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  /** A new oslo request id, {@code req-<uuid>}. */
  public static String newRequestId() {
    return "req-" + UUID.randomUUID();
  }

  /** All entries, in the order received or built. */
  public Map<String, Object> values() {
    return values;
  }

  /** One entry, or {@code null}. */
  public Object get(String key) {
    return values.get(key);
  }

  /** A copy with one entry set. */
  public RequestContext with(String key, Object value) {
    Map<String, Object> v = new LinkedHashMap<>(values);
    v.put(key, value);
    return new RequestContext(v);
  }

  /** The user id, or {@code null}. */
  public String user() {
    return string("user");
  }

  /** The project (tenant) id, or {@code null}. */
  public String projectId() {
    String p = string("project_id");
    return p != null ? p : string("project");
  }

  /** The request id, or {@code null}. */
  public String requestId() {
    return string("request_id");
  }

  /** Whether the caller had the admin role. */
  public boolean isAdmin() {
    return Boolean.TRUE.equals(values.get("is_admin"));
  }

  /** The caller's roles. */
  public List<String> roles() {
    Object r = values.get("roles");
    if (r instanceof List<?> list) {
      List<String> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(String.valueOf(o));
      }
      return out;
    }
    return List.of();
  }

  private String string(String key) {
    Object o = values.get(key);
    return o == null ? null : String.valueOf(o);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RequestContext other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    Map<String, Object> shown = new LinkedHashMap<>();
    values.forEach((k, v) -> shown.put(k, AUTH_TOKEN.equals(k) && v != null ? "******" : v));
    shown.remove("service_catalog");
    return "RequestContext" + shown;
  }
}
