package io.coffer.testing.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small OpenStack cloud at the HTTP boundary, for tests of the openstack compute driver and the
 * Swift backup store: Keystone v3 (password authentication, a service catalog, token expiry and
 * revocation), Nova (servers with status transitions, actions, flavors, server groups), Neutron
 * (ports with fixed IPs, security groups and rules, floating IPs), Cinder (volumes, attach on boot,
 * extend), Glance v2 (images by tag) and Swift (containers, objects, dynamic large objects). Bodies
 * have the shapes of the OpenStack API reference. It keeps state, records every call, can be told
 * to fail in the ways clouds fail, and tells a listener when a server boots (its user-data decoded)
 * and when it is deleted, so a test can run a real guest agent for it.
 */
public final class FakeOpenStack implements AutoCloseable {

  public static final String USER = "coffer";
  public static final String PASSWORD = "coffer-service-secret";
  public static final String PROJECT = "coffer-project";
  public static final String PROJECT_ID = "7d2a3c4e5f60718293a4b5c6d7e8f901";
  public static final String TENANT_NETWORK = "2f1e6a3c-0b4d-4e8f-9a1b-3c5d7e9f0a11";
  public static final String MANAGEMENT_NETWORK = "5a9c1e3f-7b2d-4c6e-8f0a-1b3d5f7a9c22";
  public static final String EXTERNAL_NETWORK = "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b33";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer http;
  private final String base;
  private final String addressPrefix;
  private final AtomicInteger nextAddress = new AtomicInteger(10);
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> servers = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> ports = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> securityGroups = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> volumes = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> serverGroups = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> floatingIps = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> images = new ConcurrentHashMap<>();
  private final Map<String, ObjectNode> flavors = Collections.synchronizedMap(new TreeMap<>());
  private final Map<String, ObjectNode> volumeTypes = Collections.synchronizedMap(new TreeMap<>());
  private final Map<String, Map<String, SwiftObject>> containers = new ConcurrentHashMap<>();
  private final Map<String, String> pendingStatus = new ConcurrentHashMap<>();

  private volatile long tokenLifetimeSeconds = 3600;
  private volatile String serverFault;
  private volatile boolean volumesFail;
  private volatile String resizeFault;
  private volatile boolean quotaExceeded;
  private volatile Consumer<Booted> onBoot = b -> {};
  private volatile Consumer<String> onDelete = name -> {};

  /** A server that booted: its name, id, addresses and decoded user-data. */
  public record Booted(String serverId, String name, List<String> addresses, String userData) {

    /** The content of the file cloud-init writes to {@code path}, decoded. */
    public String file(String path) {
      Matcher m =
          Pattern.compile(
                  "- path: " + Pattern.quote(path) + "\\n(?:\\s+\\w+: .*\\n)*?\\s+content: (\\S+)")
              .matcher(userData);
      if (!m.find()) {
        throw new IllegalStateException("the user-data writes no " + path + ":\n" + userData);
      }
      return new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8);
    }
  }

  private record SwiftObject(byte[] data, Map<String, String> headers, Instant at) {}

  /** The real Keystone and Glance this cloud sits behind, or null when it serves its own. */
  private final RealOpenStack identity;

  /** The project owning what this cloud makes. */
  private final String projectId;

  /** The token of the request the calling thread serves. */
  private final ThreadLocal<String> requestToken = new ThreadLocal<>();

  /** Tokens the real Keystone validated, until when they are trusted here. */
  private final Map<String, Instant> validated = new ConcurrentHashMap<>();

  /**
   * Starts the cloud on a free port of 127.0.0.1.
   *
   * @param addressPrefix the first three octets of the fixed IPs Neutron gives ports (a loopback
   *     range lets a test run a guest on the address)
   */
  public FakeOpenStack(String addressPrefix) throws IOException {
    this(addressPrefix, null);
  }

  /**
   * Starts Nova, Neutron and Cinder only, behind a real Keystone (and beside a real Glance), as
   * they run in a cloud: tokens are validated with that Keystone, servers' images are looked up in
   * its catalog's Glance, and resources belong to the project of the identity's account. The test
   * registers {@link #endpoints()} in the Keystone's catalog.
   */
  public static FakeOpenStack behind(RealOpenStack identity, String addressPrefix)
      throws IOException {
    return new FakeOpenStack(addressPrefix, identity);
  }

  private FakeOpenStack(String addressPrefix, RealOpenStack identity) throws IOException {
    this.identity = identity;
    this.projectId = identity == null ? PROJECT_ID : identity.projectId("service");
    this.addressPrefix = addressPrefix;
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    http.setExecutor(Executors.newFixedThreadPool(8));
    http.createContext("/", this::handle);
    http.start();
    base = "http://127.0.0.1:" + http.getAddress().getPort();
    flavor("1", "m1.tiny", 512, 1, 1);
    flavor("2", "m1.small", 2048, 1, 20);
    flavor("3", "m1.medium", 4096, 2, 40);
    flavor("4", "m1.large", 8192, 4, 80);
    flavor("5", "m1.xlarge", 16384, 8, 160);
    // Cinder's default type, and one more as a cloud offers
    volumeType("__DEFAULT__", "Default Volume Type");
    volumeType("ssd", "Solid-state volumes");
  }

  /** Keystone's v3 URL (the driver's auth URL). */
  public String authUrl() {
    return base + "/identity/v3";
  }

  /**
   * The catalog entries of the services this cloud serves, as {@code type → [name, URL]} (Cinder's
   * with Keystone's {@code $(project_id)s}), for a real Keystone's catalog.
   */
  public Map<String, List<String>> endpoints() {
    return Map.of(
        "compute", List.of("nova", base + "/compute/v2.1"),
        "network", List.of("neutron", base + "/network"),
        "volumev3", List.of("cinderv3", base + "/volume/v3/$(project_id)s"));
  }

  /** Calls seen so far, as {@code "METHOD /path"} (query strings left out). */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  /** Calls seen so far that start with {@code prefix}, e.g. {@code "POST /compute"}. */
  public long count(String prefix) {
    return calls.stream().filter(c -> c.startsWith(prefix)).count();
  }

  /** Forgets the recorded calls. */
  public void clearCalls() {
    calls.clear();
  }

  /** What exists, by kind: servers, ports, security groups, volumes, server groups, FIPs. */
  public Map<String, List<String>> resources() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    out.put("servers", names(servers));
    out.put("ports", names(ports));
    out.put("security_groups", names(securityGroups));
    out.put("volumes", names(volumes));
    out.put("server_groups", names(serverGroups));
    out.put("floatingips", new ArrayList<>(floatingIps.keySet()));
    return out;
  }

  /** Every resource whose name contains {@code text}. */
  public List<String> resourcesNamed(String text) {
    List<String> out = new ArrayList<>();
    resources().forEach((k, v) -> v.stream().filter(n -> n.contains(text)).forEach(out::add));
    floatingIps.values().stream()
        .filter(f -> ports.containsKey(f.path("port_id").asText()))
        .filter(f -> ports.get(f.path("port_id").asText()).path("name").asText().contains(text))
        .forEach(f -> out.add("floatingip " + f.path("id").asText()));
    return out;
  }

  private static List<String> names(Map<String, ObjectNode> m) {
    return m.values().stream().map(n -> n.path("name").asText()).sorted().toList();
  }

  /** The JSON of a server, by name. */
  public ObjectNode server(String name) {
    return servers.values().stream()
        .filter(s -> name.equals(s.path("name").asText()))
        .findFirst()
        .orElse(null);
  }

  /** The JSON of a volume, by name. */
  public ObjectNode volume(String name) {
    return volumes.values().stream()
        .filter(s -> name.equals(s.path("name").asText()))
        .findFirst()
        .orElse(null);
  }

  /** Security group rules of the group with this name. */
  public List<JsonNode> rulesOf(String groupName) {
    for (ObjectNode g : securityGroups.values()) {
      if (groupName.equals(g.path("name").asText())) {
        List<JsonNode> out = new ArrayList<>();
        g.path("security_group_rules").forEach(out::add);
        return out;
      }
    }
    return List.of();
  }

  /** Adds a Glance image with tags; returns its id. */
  public String image(String name, String... tags) {
    String id = UUID.randomUUID().toString();
    ObjectNode i = JSON.createObjectNode();
    i.put("id", id);
    i.put("name", name);
    i.put("status", "active");
    i.put("visibility", "private");
    // as Glance answers: the project that uploaded it
    i.put("owner", PROJECT_ID);
    i.put("container_format", "bare");
    i.put("disk_format", "qcow2");
    i.put("size", 1_073_741_824L);
    i.put("created_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    i.put("updated_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    ArrayNode t = i.putArray("tags");
    for (String tag : tags) {
      t.add(tag);
    }
    i.put("self", "/v2/images/" + id);
    i.put("file", "/v2/images/" + id + "/file");
    i.put("schema", "/v2/schemas/image");
    images.put(id, i);
    return id;
  }

  /** Adds a Nova flavor. */
  public void flavor(String id, String name, int ram, int vcpus, int disk) {
    ObjectNode f = JSON.createObjectNode();
    f.put("id", id);
    f.put("name", name);
    f.put("ram", ram);
    f.put("vcpus", vcpus);
    f.put("disk", disk);
    f.put("OS-FLV-EXT-DATA:ephemeral", 0);
    f.put("swap", 0);
    f.put("rxtx_factor", 1.0);
    f.put("os-flavor-access:is_public", true);
    f.put("OS-FLV-DISABLED:disabled", false);
    f.putArray("links");
    flavors.put(id, f);
  }

  /** Adds a Cinder volume type; returns its id. */
  public String volumeType(String name, String description) {
    ObjectNode t = JSON.createObjectNode();
    String id = UUID.randomUUID().toString();
    t.put("id", id);
    t.put("name", name);
    t.put("description", description);
    t.put("is_public", true);
    t.put("os-volume-type-access:is_public", true);
    t.putNull("qos_specs_id");
    t.putObject("extra_specs");
    volumeTypes.put(id, t);
    return id;
  }

  /** The next servers booted go to ERROR with this fault message (null: boot normally). */
  public void failServers(String faultMessage) {
    serverFault = faultMessage;
  }

  /**
   * Resizes fail on the destination host: the server goes to ERROR with this fault (null: resizes
   * work). Nova accepts a revert only from VERIFY_RESIZE, so one then is refused.
   */
  public void failResizes(String faultMessage) {
    resizeFault = faultMessage;
  }

  /** New volumes go to status {@code error} (as when the backend has no space). */
  public void failVolumes(boolean fail) {
    volumesFail = fail;
  }

  /** Nova refuses new servers with 403 "Quota exceeded for instances". */
  public void quotaExceeded(boolean exceeded) {
    quotaExceeded = exceeded;
  }

  /** Tokens issued from now on live this long. */
  public void tokenLifetime(long seconds) {
    tokenLifetimeSeconds = seconds;
  }

  /** Every token issued so far is revoked: the next call with one answers 401. */
  public void revokeTokens() {
    tokens.clear();
  }

  /** Tokens issued (authentications seen). */
  public long authentications() {
    return count("POST /identity/v3/auth/tokens");
  }

  /** Called (on a thread of its own) when a server has booted. */
  public void onBoot(Consumer<Booted> listener) {
    onBoot = listener;
  }

  /** Called with the server's name when a server is deleted. */
  public void onDelete(Consumer<String> listener) {
    onDelete = listener;
  }

  /** Swift: names of the objects in a container. */
  public List<String> objects(String container) {
    Map<String, SwiftObject> c = containers.get(container);
    return c == null ? List.of() : new ArrayList<>(new TreeMap<>(c).keySet());
  }

  /** Swift: an object's bytes, or null. */
  public byte[] object(String container, String name) {
    Map<String, SwiftObject> c = containers.get(container);
    SwiftObject o = c == null ? null : c.get(name);
    return o == null ? null : o.data();
  }

  /** Swift: overwrites an object's bytes (to corrupt a backup). */
  public void corrupt(String container, String name) {
    SwiftObject o = containers.get(container).get(name);
    byte[] bad = o.data().clone();
    bad[bad.length / 2] ^= 0x55;
    containers.get(container).put(name, new SwiftObject(bad, o.headers(), o.at()));
  }

  @Override
  public void close() {
    http.stop(0);
    ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
  }

  // --- HTTP

  private record Reply(int status, Object body, Map<String, String> headers) {
    static Reply json(int status, Object body) {
      return new Reply(status, body, Map.of());
    }

    static Reply empty(int status) {
      return new Reply(status, null, Map.of());
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    Map<String, String> query = query(ex.getRequestURI().getRawQuery());
    byte[] body = ex.getRequestBody().readAllBytes();
    calls.add(method + " " + path);
    Reply reply;
    try {
      String token = ex.getRequestHeaders().getFirst("X-Auth-Token");
      requestToken.set(token);
      if (identity == null && path.equals("/identity/v3/auth/tokens") && method.equals("POST")) {
        reply = authenticate(body);
      } else if (!validToken(token)) {
        reply =
            Reply.json(
                401,
                error(
                    "error",
                    401,
                    "The request you have made requires authentication.",
                    "Unauthorized"));
      } else if (path.startsWith("/compute/v2.1")) {
        reply = nova(method, path.substring("/compute/v2.1".length()), query, body);
      } else if (path.startsWith("/network/v2.0")) {
        reply = neutron(method, path.substring("/network/v2.0".length()), query, body);
      } else if (path.startsWith("/volume/v3/" + projectId)) {
        reply = cinder(method, path.substring(("/volume/v3/" + projectId).length()), query, body);
      } else if (identity == null && path.startsWith("/image/v2")) {
        reply = glance(method, path.substring("/image/v2".length()), query);
      } else if (identity == null && path.startsWith("/swift/v1/AUTH_" + PROJECT_ID)) {
        swift(ex, method, path.substring(("/swift/v1/AUTH_" + PROJECT_ID).length()), query, body);
        return;
      } else {
        reply = notFound("no such resource: " + path);
      }
    } catch (RuntimeException e) {
      reply = Reply.json(500, error("computeFault", 500, e.toString(), null));
    }
    send(ex, reply);
  }

  private static void send(HttpExchange ex, Reply reply) throws IOException {
    reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    ex.getResponseHeaders().add("X-Openstack-Request-Id", "req-" + UUID.randomUUID());
    if (reply.body() == null) {
      ex.sendResponseHeaders(reply.status(), -1);
      ex.close();
      return;
    }
    byte[] out = JSON.writeValueAsBytes(reply.body());
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(reply.status(), out.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(out);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      q.put(k, v);
    }
    return q;
  }

  private static ObjectNode error(String kind, int code, String message, String title) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode e = root.putObject(kind);
    e.put("code", code);
    e.put("message", message);
    if (title != null) {
      e.put("title", title);
    }
    return root;
  }

  private static Reply notFound(String message) {
    return Reply.json(404, error("itemNotFound", 404, message, null));
  }

  private static JsonNode read(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage());
    }
  }

  // --- Keystone

  private Reply authenticate(byte[] body) {
    JsonNode auth = read(body).path("auth");
    JsonNode user = auth.path("identity").path("password").path("user");
    if (!USER.equals(user.path("name").asText())
        || !PASSWORD.equals(user.path("password").asText())) {
      return Reply.json(
          401,
          error(
              "error", 401, "The request you have made requires authentication.", "Unauthorized"));
    }
    String token = "gAAAAAB" + UUID.randomUUID().toString().replace("-", "");
    Instant expires = Instant.now().plusSeconds(tokenLifetimeSeconds);
    tokens.put(token, expires);
    ObjectNode root = JSON.createObjectNode();
    ObjectNode t = root.putObject("token");
    t.putArray("methods").add("password");
    t.put("expires_at", expires.truncatedTo(ChronoUnit.MILLIS).toString());
    t.put("issued_at", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    t.putArray("audit_ids").add(UUID.randomUUID().toString().substring(0, 22));
    ObjectNode u = t.putObject("user");
    u.put("id", "a1b2c3d4e5f60718293a4b5c6d7e8f90");
    u.put("name", USER);
    u.putObject("domain").put("id", "default").put("name", "Default");
    u.put("password_expires_at", (String) null);
    ObjectNode p = t.putObject("project");
    p.put("id", PROJECT_ID);
    p.put("name", PROJECT);
    p.putObject("domain").put("id", "default").put("name", "Default");
    ArrayNode roles = t.putArray("roles");
    roles.addObject().put("id", "r1").put("name", "member");
    roles.addObject().put("id", "r2").put("name", "reader");
    ArrayNode catalog = t.putArray("catalog");
    service(catalog, "identity", "keystone", base + "/identity");
    service(catalog, "compute", "nova", base + "/compute/v2.1");
    service(catalog, "network", "neutron", base + "/network");
    service(catalog, "volumev3", "cinderv3", base + "/volume/v3/" + PROJECT_ID);
    service(catalog, "image", "glance", base + "/image");
    service(catalog, "object-store", "swift", base + "/swift/v1/AUTH_" + PROJECT_ID);
    return new Reply(201, root, Map.of("X-Subject-Token", token));
  }

  private static void service(ArrayNode catalog, String type, String name, String url) {
    ObjectNode s = catalog.addObject();
    s.put("id", UUID.randomUUID().toString().replace("-", ""));
    s.put("type", type);
    s.put("name", name);
    ArrayNode eps = s.putArray("endpoints");
    for (String iface : List.of("public", "internal", "admin")) {
      ObjectNode e = eps.addObject();
      e.put("id", UUID.randomUUID().toString().replace("-", ""));
      e.put("interface", iface);
      e.put("region", "RegionOne");
      e.put("region_id", "RegionOne");
      e.put("url", url);
    }
  }

  private boolean validToken(String token) {
    if (token == null) {
      return false;
    }
    if (identity != null) {
      // as keystonemiddleware does in front of a real service: ask Keystone, trust it a while
      Instant until = validated.get(token);
      if (until != null && until.isAfter(Instant.now())) {
        return true;
      }
      if (!identity.valid(token)) {
        return false;
      }
      validated.put(token, Instant.now().plusSeconds(5));
      return true;
    }
    Instant expires = tokens.get(token);
    return expires != null && expires.isAfter(Instant.now());
  }

  // --- Nova

  private Reply nova(String method, String path, Map<String, String> q, byte[] body) {
    String[] parts = path.split("/");
    if (path.equals("/flavors/detail") || path.equals("/flavors")) {
      ObjectNode root = JSON.createObjectNode();
      ArrayNode list = root.putArray("flavors");
      synchronized (flavors) {
        flavors.values().forEach(list::add);
      }
      return Reply.json(200, root);
    }
    if (path.startsWith("/flavors/")) {
      ObjectNode f = flavors.get(parts[2]);
      return f == null
          ? notFound("Flavor " + parts[2] + " could not be found.")
          : wrap("flavor", f);
    }
    if (path.equals("/os-server-groups")) {
      if (method.equals("GET")) {
        return list("server_groups", serverGroups, q, Set.of());
      }
      JsonNode g = read(body).path("server_group");
      ObjectNode sg = JSON.createObjectNode();
      String id = UUID.randomUUID().toString();
      sg.put("id", id);
      sg.put("name", g.path("name").asText());
      ArrayNode policies = sg.putArray("policies");
      if (g.has("policies")) {
        g.path("policies").forEach(policies::add);
      } else {
        policies.add(g.path("policy").asText());
      }
      sg.putArray("members");
      sg.putObject("metadata");
      serverGroups.put(id, sg);
      return wrap("server_group", sg);
    }
    if (path.startsWith("/os-server-groups/")) {
      if (method.equals("DELETE")) {
        return serverGroups.remove(parts[2]) == null
            ? notFound("Instance group " + parts[2] + " could not be found.")
            : Reply.empty(204);
      }
      ObjectNode g = serverGroups.get(parts[2]);
      return g == null ? notFound("server group") : wrap("server_group", g);
    }
    if (path.equals("/servers") && method.equals("POST")) {
      return boot(read(body));
    }
    if (path.equals("/servers/detail") || path.equals("/servers")) {
      return list("servers", servers, q, Set.of());
    }
    if (parts.length >= 3 && parts[1].equals("servers")) {
      String id = parts[2];
      ObjectNode s = servers.get(id);
      if (s == null) {
        return notFound("Instance " + id + " could not be found.");
      }
      if (parts.length == 3 && method.equals("GET")) {
        advance(s);
        return wrap("server", s);
      }
      if (parts.length == 3 && method.equals("DELETE")) {
        deleteServer(id, s);
        return Reply.empty(204);
      }
      if (parts.length == 4 && parts[3].equals("action") && method.equals("POST")) {
        return action(s, read(body));
      }
    }
    return notFound("no such Nova resource: " + path);
  }

  private Reply boot(JsonNode request) {
    if (quotaExceeded) {
      return Reply.json(
          403,
          error(
              "forbidden",
              403,
              "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances",
              null));
    }
    JsonNode r = request.path("server");
    String flavorId = r.path("flavorRef").asText();
    if (!flavors.containsKey(flavorId)) {
      return Reply.json(
          400, error("badRequest", 400, "Flavor " + flavorId + " could not be found.", null));
    }
    String imageId = r.path("imageRef").asText();
    boolean imageKnown =
        identity == null
            ? images.containsKey(imageId)
            : identity.imageExists(imageId, requestToken.get());
    if (!imageKnown) {
      return Reply.json(
          400, error("badRequest", 400, "Image " + imageId + " could not be found.", null));
    }
    String id = UUID.randomUUID().toString();
    ObjectNode s = JSON.createObjectNode();
    s.put("id", id);
    s.put("name", r.path("name").asText());
    s.put("status", "BUILD");
    s.put("tenant_id", projectId);
    s.put("user_id", "a1b2c3d4e5f60718293a4b5c6d7e8f90");
    s.put("hostId", "");
    s.put("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    s.put("updated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    s.put("progress", 0);
    s.put("OS-EXT-STS:vm_state", "building");
    s.put("OS-EXT-STS:task_state", "scheduling");
    s.put("OS-EXT-STS:power_state", 0);
    s.put("OS-EXT-AZ:availability_zone", r.path("availability_zone").asText("nova"));
    s.put("accessIPv4", "");
    s.put("accessIPv6", "");
    s.putObject("image").put("id", imageId);
    s.putObject("flavor").put("id", flavorId);
    s.set("metadata", r.path("metadata").isObject() ? r.path("metadata") : JSON.createObjectNode());
    s.putArray("os-extended-volumes:volumes_attached");
    s.putObject("addresses");
    s.put("key_name", (String) null);
    s.put("config_drive", "");
    // networks: ports made beforehand
    List<String> addresses = new ArrayList<>();
    for (JsonNode n : r.path("networks")) {
      ObjectNode port = ports.get(n.path("port").asText());
      if (port == null) {
        return Reply.json(
            400, error("badRequest", 400, "Port " + n.path("port").asText() + " not found.", null));
      }
      port.put("device_id", id);
      port.put("device_owner", "compute:nova");
      String ip = port.path("fixed_ips").path(0).path("ip_address").asText();
      addresses.add(ip);
      String network = port.path("network_id").asText();
      ArrayNode a = ((ObjectNode) s.path("addresses")).withArray(networkName(network));
      a.addObject()
          .put("addr", ip)
          .put("version", 4)
          .put("OS-EXT-IPS:type", "fixed")
          .put("OS-EXT-IPS-MAC:mac_addr", port.path("mac_address").asText());
    }
    for (JsonNode bdm : r.path("block_device_mapping_v2")) {
      if ("volume".equals(bdm.path("source_type").asText())) {
        ObjectNode v = volumes.get(bdm.path("uuid").asText());
        if (v == null || !"available".equals(v.path("status").asText())) {
          return Reply.json(
              400,
              error(
                  "badRequest",
                  400,
                  "Block Device Mapping is Invalid: volume not available.",
                  null));
        }
        v.put("status", "in-use");
        v.putArray("attachments")
            .addObject()
            .put("server_id", id)
            .put("attachment_id", UUID.randomUUID().toString())
            .put("volume_id", v.path("id").asText())
            .put("device", "/dev/vdb")
            .put("id", v.path("id").asText());
        ((ArrayNode) s.path("os-extended-volumes:volumes_attached"))
            .addObject()
            .put("id", v.path("id").asText())
            .put("delete_on_termination", false);
      }
    }
    String group = r.path("os:scheduler_hints").path("group").asText(null);
    if (group == null) {
      group = request.path("os:scheduler_hints").path("group").asText(null);
    }
    if (group != null && serverGroups.containsKey(group)) {
      ((ArrayNode) serverGroups.get(group).path("members")).add(id);
    }
    String userData =
        r.hasNonNull("user_data")
            ? new String(
                Base64.getDecoder().decode(r.path("user_data").asText()), StandardCharsets.UTF_8)
            : "";
    servers.put(id, s);
    String fault = serverFault;
    if (fault != null) {
      pendingStatus.put(id, "ERROR:" + fault);
    } else {
      pendingStatus.put(id, "ACTIVE");
      Booted booted = new Booted(id, s.path("name").asText(), addresses, userData);
      Consumer<Booted> listener = onBoot;
      Thread t = new Thread(() -> listener.accept(booted), "fake-nova-boot");
      t.setDaemon(true);
      t.start();
    }
    ObjectNode root = JSON.createObjectNode();
    ObjectNode created = root.putObject("server");
    created.put("id", id);
    created.put("OS-DCF:diskConfig", "MANUAL");
    created.put("adminPass", "kQ3xR8pZ2vT6");
    created.putArray("security_groups").addObject().put("name", "default");
    created
        .putArray("links")
        .addObject()
        .put("rel", "self")
        .put("href", base + "/compute/v2.1/servers/" + id);
    return Reply.json(202, root);
  }

  private static String networkName(String id) {
    if (TENANT_NETWORK.equals(id)) {
      return "tenant";
    }
    return MANAGEMENT_NETWORK.equals(id) ? "management" : id;
  }

  /** A server's status moves on when it is looked at: BUILD → ACTIVE (or ERROR), etc. */
  private void advance(ObjectNode s) {
    String next = pendingStatus.remove(s.path("id").asText());
    if (next == null) {
      return;
    }
    if (next.startsWith("ERROR:")) {
      s.put("status", "ERROR");
      s.put("OS-EXT-STS:vm_state", "error");
      s.putObject("fault")
          .put("code", 500)
          .put("message", next.substring("ERROR:".length()))
          .put("created", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    } else {
      s.put("status", next);
      s.put("OS-EXT-STS:vm_state", next.equals("VERIFY_RESIZE") ? "resized" : "active");
    }
    s.put("OS-EXT-STS:task_state", (String) null);
  }

  private Reply action(ObjectNode s, JsonNode action) {
    String id = s.path("id").asText();
    if (action.has("reboot")) {
      s.put(
          "status",
          action.path("reboot").path("type").asText("SOFT").equals("HARD")
              ? "HARD_REBOOT"
              : "REBOOT");
      pendingStatus.put(id, "ACTIVE");
    } else if (action.has("resize")) {
      if (!"ACTIVE".equals(s.path("status").asText())) {
        return Reply.json(
            409,
            error(
                "conflictingRequest",
                409,
                "Cannot 'resize' instance "
                    + id
                    + " while it is in vm_state "
                    + s.path("status").asText(),
                null));
      }
      String flavorId = action.path("resize").path("flavorRef").asText();
      if (!flavors.containsKey(flavorId)) {
        return Reply.json(400, error("badRequest", 400, "Invalid flavorRef provided.", null));
      }
      s.put("status", "RESIZE");
      s.put("coffer:new_flavor", flavorId);
      String fault = resizeFault;
      pendingStatus.put(id, fault == null ? "VERIFY_RESIZE" : "ERROR:" + fault);
    } else if (action.has("confirmResize")) {
      if (!"VERIFY_RESIZE".equals(s.path("status").asText())) {
        return Reply.json(
            409, error("conflictingRequest", 409, "Instance has not been resized.", null));
      }
      ((ObjectNode) s.path("flavor")).put("id", s.path("coffer:new_flavor").asText());
      s.remove("coffer:new_flavor");
      s.put("status", "ACTIVE");
    } else if (action.has("revertResize")) {
      if (!"VERIFY_RESIZE".equals(s.path("status").asText())) {
        return Reply.json(
            409,
            error(
                "conflictingRequest",
                409,
                "Cannot 'revertResize' instance "
                    + id
                    + " while it is in vm_state "
                    + s.path("OS-EXT-STS:vm_state").asText(),
                null));
      }
      s.remove("coffer:new_flavor");
      s.put("status", "REVERT_RESIZE");
      pendingStatus.put(id, "ACTIVE");
    } else {
      return Reply.json(400, error("badRequest", 400, "Unsupported server action.", null));
    }
    return Reply.empty(202);
  }

  private void deleteServer(String id, ObjectNode s) {
    servers.remove(id);
    pendingStatus.remove(id);
    for (ObjectNode v : volumes.values()) {
      JsonNode att = v.path("attachments");
      if (att.size() > 0 && id.equals(att.path(0).path("server_id").asText())) {
        v.put("status", "available");
        v.putArray("attachments");
      }
    }
    for (ObjectNode p : ports.values()) {
      if (id.equals(p.path("device_id").asText())) {
        p.put("device_id", "");
        p.put("device_owner", "");
      }
    }
    for (ObjectNode g : serverGroups.values()) {
      ArrayNode members = (ArrayNode) g.path("members");
      for (int i = members.size() - 1; i >= 0; i--) {
        if (id.equals(members.get(i).asText())) {
          members.remove(i);
        }
      }
    }
    String name = s.path("name").asText();
    onDelete.accept(name);
  }

  // --- Neutron

  private Reply neutron(String method, String path, Map<String, String> q, byte[] body) {
    String[] parts = path.split("/");
    String kind = parts.length > 1 ? parts[1] : "";
    String id = parts.length > 2 ? parts[2] : null;
    switch (kind) {
      case "ports" -> {
        if (id == null && method.equals("GET")) {
          return list("ports", ports, q, Set.of("name", "network_id", "device_id"));
        }
        if (id == null && method.equals("POST")) {
          return createPort(read(body).path("port"));
        }
        if (method.equals("DELETE")) {
          if (ports.remove(id) == null) {
            return neutronNotFound("Port", id);
          }
          floatingIps.values().stream()
              .filter(f -> id.equals(f.path("port_id").asText()))
              .forEach(f -> f.putNull("port_id"));
          return Reply.empty(204);
        }
        ObjectNode p = ports.get(id);
        return p == null ? neutronNotFound("Port", id) : wrap("port", p);
      }
      case "security-groups" -> {
        if (id == null && method.equals("GET")) {
          return list("security_groups", securityGroups, q, Set.of("name"));
        }
        if (id == null && method.equals("POST")) {
          JsonNode g = read(body).path("security_group");
          ObjectNode sg = JSON.createObjectNode();
          String gid = UUID.randomUUID().toString();
          sg.put("id", gid);
          sg.put("name", g.path("name").asText());
          sg.put("description", g.path("description").asText(""));
          sg.put("tenant_id", projectId);
          sg.put("project_id", projectId);
          sg.put("stateful", true);
          sg.put("revision_number", 1);
          ArrayNode rules = sg.putArray("security_group_rules");
          for (String ether : List.of("IPv4", "IPv6")) {
            rules
                .addObject()
                .put("id", UUID.randomUUID().toString())
                .put("direction", "egress")
                .put("ethertype", ether)
                .put("security_group_id", gid)
                .put("tenant_id", projectId);
          }
          securityGroups.put(gid, sg);
          return Reply.json(201, wrapNode("security_group", sg));
        }
        if (method.equals("DELETE")) {
          boolean inUse =
              ports.values().stream()
                  .anyMatch(
                      p -> {
                        for (JsonNode g : p.path("security_groups")) {
                          if (id.equals(g.asText())) {
                            return true;
                          }
                        }
                        return false;
                      });
          if (inUse) {
            return Reply.json(
                409, neutronError("SecurityGroupInUse", "Security Group " + id + " in use."));
          }
          return securityGroups.remove(id) == null
              ? neutronNotFound("Security group", id)
              : Reply.empty(204);
        }
        ObjectNode g = securityGroups.get(id);
        return g == null ? neutronNotFound("Security group", id) : wrap("security_group", g);
      }
      case "security-group-rules" -> {
        if (id != null && method.equals("DELETE")) {
          for (ObjectNode g : securityGroups.values()) {
            ArrayNode rules = (ArrayNode) g.path("security_group_rules");
            for (int i = 0; i < rules.size(); i++) {
              if (id.equals(rules.get(i).path("id").asText())) {
                rules.remove(i);
                return Reply.empty(204);
              }
            }
          }
          return neutronNotFound("Security group rule", id);
        }
        JsonNode r = read(body).path("security_group_rule");
        ObjectNode g = securityGroups.get(r.path("security_group_id").asText());
        if (g == null) {
          return neutronNotFound("Security group", r.path("security_group_id").asText());
        }
        ObjectNode rule = ((ObjectNode) r).deepCopy();
        rule.put("id", UUID.randomUUID().toString());
        rule.put("tenant_id", projectId);
        ((ArrayNode) g.path("security_group_rules")).add(rule);
        return Reply.json(201, wrapNode("security_group_rule", rule));
      }
      case "floatingips" -> {
        if (id == null && method.equals("GET")) {
          return list("floatingips", floatingIps, q, Set.of("port_id"));
        }
        if (id == null && method.equals("POST")) {
          JsonNode f = read(body).path("floatingip");
          ObjectNode fip = JSON.createObjectNode();
          String fid = UUID.randomUUID().toString();
          fip.put("id", fid);
          fip.put("floating_network_id", f.path("floating_network_id").asText());
          fip.put("floating_ip_address", "203.0.113." + nextAddress.incrementAndGet());
          fip.put("port_id", f.path("port_id").asText(null));
          ObjectNode port = ports.get(f.path("port_id").asText());
          fip.put(
              "fixed_ip_address",
              port == null ? null : port.path("fixed_ips").path(0).path("ip_address").asText());
          fip.put("status", "ACTIVE");
          fip.put("tenant_id", projectId);
          fip.put("router_id", "d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6");
          floatingIps.put(fid, fip);
          return Reply.json(201, wrapNode("floatingip", fip));
        }
        if (method.equals("DELETE")) {
          return floatingIps.remove(id) == null
              ? neutronNotFound("Floating IP", id)
              : Reply.empty(204);
        }
        ObjectNode f = floatingIps.get(id);
        return f == null ? neutronNotFound("Floating IP", id) : wrap("floatingip", f);
      }
      default -> {
        return neutronNotFound("Resource", path);
      }
    }
  }

  private Reply createPort(JsonNode p) {
    String network = p.path("network_id").asText();
    if (!Set.of(TENANT_NETWORK, MANAGEMENT_NETWORK).contains(network)) {
      return neutronNotFound("Network", network);
    }
    ObjectNode port = JSON.createObjectNode();
    String id = UUID.randomUUID().toString();
    port.put("id", id);
    port.put("name", p.path("name").asText(""));
    port.put("network_id", network);
    port.put("tenant_id", projectId);
    port.put("project_id", projectId);
    port.put("admin_state_up", true);
    port.put("status", "DOWN");
    int n = nextAddress.incrementAndGet();
    port.put(
        "mac_address",
        String.format("fa:16:3e:%02x:%02x:%02x", n >> 16 & 0xff, n >> 8 & 0xff, n & 0xff));
    port.putArray("fixed_ips")
        .addObject()
        .put("subnet_id", network.substring(0, 24) + "000000000001")
        .put(
            "ip_address",
            TENANT_NETWORK.equals(network) ? addressPrefix + "." + n : "10.20.0." + n);
    ArrayNode groups = port.putArray("security_groups");
    p.path("security_groups").forEach(groups::add);
    port.put("device_id", "");
    port.put("device_owner", "");
    ports.put(id, port);
    return Reply.json(201, wrapNode("port", port));
  }

  private static ObjectNode neutronError(String type, String message) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("NeutronError").put("type", type).put("message", message).put("detail", "");
    return root;
  }

  private static Reply neutronNotFound(String what, String id) {
    return Reply.json(
        404,
        neutronError(what.replace(" ", "") + "NotFound", what + " " + id + " could not be found."));
  }

  // --- Cinder

  private Reply cinder(String method, String path, Map<String, String> q, byte[] body) {
    String[] parts = path.split("/");
    if ((path.equals("/volumes/detail") || path.equals("/volumes")) && method.equals("GET")) {
      return list("volumes", volumes, q, Set.of("name", "status"));
    }
    if (path.equals("/types") && method.equals("GET")) {
      ObjectNode root = JSON.createObjectNode();
      ArrayNode list = root.putArray("volume_types");
      synchronized (volumeTypes) {
        volumeTypes.values().forEach(list::add);
      }
      return Reply.json(200, root);
    }
    if (path.equals("/volumes") && method.equals("POST")) {
      JsonNode r = read(body).path("volume");
      String type = r.path("volume_type").asText("");
      boolean known;
      synchronized (volumeTypes) {
        known =
            type.isEmpty()
                || volumeTypes.values().stream()
                    .anyMatch(
                        t ->
                            t.path("name").asText().equals(type)
                                || t.path("id").asText().equals(type));
      }
      if (!known) {
        return notFound("Volume type with name " + type + " could not be found.");
      }
      ObjectNode v = JSON.createObjectNode();
      String id = UUID.randomUUID().toString();
      v.put("id", id);
      v.put("name", r.path("name").asText());
      v.put("size", r.path("size").asInt());
      v.put("status", "creating");
      v.put("volume_type", r.path("volume_type").asText("__DEFAULT__"));
      v.put("availability_zone", r.path("availability_zone").asText("nova"));
      v.put("bootable", "false");
      v.put("multiattach", false);
      v.put("encrypted", false);
      v.put(
          "created_at",
          Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace("Z", ".000000"));
      v.put("os-vol-tenant-attr:tenant_id", projectId);
      v.putArray("attachments");
      v.putObject("metadata");
      volumes.put(id, v);
      pendingStatus.put(id, volumesFail ? "error" : "available");
      return Reply.json(202, wrapNode("volume", v));
    }
    if (parts.length >= 3 && parts[1].equals("volumes")) {
      String id = parts[2];
      ObjectNode v = volumes.get(id);
      if (v == null) {
        return notFound("Volume " + id + " could not be found.");
      }
      if (parts.length == 3 && method.equals("GET")) {
        String next = pendingStatus.remove(id);
        if (next != null) {
          v.put("status", next);
        }
        return wrap("volume", v);
      }
      if (parts.length == 3 && method.equals("DELETE")) {
        if (!Set.of("available", "error").contains(v.path("status").asText())) {
          return Reply.json(
              400,
              error(
                  "badRequest",
                  400,
                  "Invalid volume: Volume status must be available or error or error_restoring or"
                      + " error_extending or error_managing and must not be migrating, attached,"
                      + " belong to a group, have snapshots or be disassociated from snapshots"
                      + " after volume transfer.",
                  null));
        }
        volumes.remove(id);
        return Reply.empty(202);
      }
      if (parts.length == 4 && parts[3].equals("action")) {
        JsonNode a = read(body);
        if (a.has("os-extend")) {
          int size = a.path("os-extend").path("new_size").asInt();
          if (size <= v.path("size").asInt()) {
            return Reply.json(
                400,
                error(
                    "badRequest",
                    400,
                    "New size for extend must be greater than current size.",
                    null));
          }
          String was = v.path("status").asText();
          v.put("status", "extending");
          v.put("size", size);
          pendingStatus.put(id, was);
          return Reply.empty(202);
        }
        return Reply.json(400, error("badRequest", 400, "Unsupported volume action.", null));
      }
    }
    return notFound("no such Cinder resource: " + path);
  }

  // --- Glance

  private Reply glance(String method, String path, Map<String, String> q) {
    if (path.equals("/images") && method.equals("GET")) {
      ObjectNode root = JSON.createObjectNode();
      ArrayNode list = root.putArray("images");
      for (ObjectNode i : images.values()) {
        String tag = q.get("tag");
        boolean tagged = tag == null;
        for (JsonNode t : i.path("tags")) {
          tagged |= t.asText().equals(tag);
        }
        String status = q.get("status");
        if (tagged && (status == null || status.equals(i.path("status").asText()))) {
          list.add(i);
        }
      }
      root.put("first", "/v2/images");
      root.put("schema", "/v2/schemas/images");
      return Reply.json(200, root);
    }
    if (path.startsWith("/images/")) {
      ObjectNode i = images.get(path.substring("/images/".length()));
      return i == null ? notFound("No image found") : Reply.json(200, i);
    }
    return notFound("no such Glance resource: " + path);
  }

  // --- Swift

  private void swift(
      HttpExchange ex, String method, String path, Map<String, String> q, byte[] body)
      throws IOException {
    String[] parts = path.split("/", 3);
    String container = parts.length > 1 ? URLDecoder.decode(parts[1], StandardCharsets.UTF_8) : "";
    String object = parts.length > 2 ? URLDecoder.decode(parts[2], StandardCharsets.UTF_8) : null;
    if (container.isEmpty()) {
      send(ex, Reply.empty(204));
      return;
    }
    if (object == null) {
      switch (method) {
        case "PUT" -> {
          boolean created = containers.putIfAbsent(container, new ConcurrentHashMap<>()) == null;
          send(ex, Reply.empty(created ? 201 : 202));
        }
        case "DELETE" -> {
          Map<String, SwiftObject> c = containers.get(container);
          if (c == null) {
            swiftError(ex, 404);
          } else if (!c.isEmpty()) {
            swiftError(ex, 409);
          } else {
            containers.remove(container);
            send(ex, Reply.empty(204));
          }
        }
        case "HEAD" -> {
          if (containers.containsKey(container)) {
            send(ex, Reply.empty(204));
          } else {
            swiftError(ex, 404);
          }
        }
        default -> {
          Map<String, SwiftObject> c = containers.get(container);
          if (c == null) {
            swiftError(ex, 404);
            return;
          }
          String prefix = q.getOrDefault("prefix", "");
          ArrayNode list = JSON.createArrayNode();
          new TreeMap<>(c)
              .forEach(
                  (name, o) -> {
                    if (name.startsWith(prefix)) {
                      list.addObject()
                          .put("name", name)
                          .put("bytes", o.data().length)
                          .put("hash", md5(o.data()))
                          .put(
                              "content_type",
                              o.headers().getOrDefault("content-type", "application/octet-stream"))
                          .put("last_modified", o.at().toString().replace("Z", ""));
                    }
                  });
          send(ex, Reply.json(200, list));
        }
      }
      return;
    }
    Map<String, SwiftObject> c = containers.get(container);
    if (c == null) {
      swiftError(ex, 404);
      return;
    }
    switch (method) {
      case "PUT" -> {
        Map<String, String> headers = new TreeMap<>();
        ex.getRequestHeaders()
            .forEach(
                (k, v) -> {
                  String key = k.toLowerCase();
                  if (key.startsWith("x-object-meta-")
                      || key.equals("x-object-manifest")
                      || key.equals("content-type")) {
                    headers.put(key, v.get(0));
                  }
                });
        String etag = ex.getRequestHeaders().getFirst("ETag");
        if (etag != null && !etag.equalsIgnoreCase(md5(body))) {
          swiftError(ex, 422);
          return;
        }
        c.put(object, new SwiftObject(body, headers, Instant.now()));
        ex.getResponseHeaders().add("Etag", md5(body));
        send(ex, Reply.empty(201));
      }
      case "DELETE" -> {
        if (c.remove(object) == null) {
          swiftError(ex, 404);
        } else {
          send(ex, Reply.empty(204));
        }
      }
      case "HEAD", "GET" -> {
        SwiftObject o = c.get(object);
        if (o == null) {
          swiftError(ex, 404);
          return;
        }
        byte[] data = o.data();
        String manifest = o.headers().get("x-object-manifest");
        if (manifest != null) {
          // a dynamic large object: the segments under the prefix, in name order
          String[] mp = manifest.split("/", 2);
          Map<String, SwiftObject> seg = containers.getOrDefault(mp[0], Map.of());
          ByteArrayOutputStream all = new ByteArrayOutputStream();
          new TreeMap<>(seg)
              .forEach(
                  (name, s) -> {
                    if (name.startsWith(mp[1])) {
                      all.writeBytes(s.data());
                    }
                  });
          data = all.toByteArray();
        }
        o.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.getResponseHeaders().add("Etag", manifest == null ? md5(data) : "\"" + md5(data) + "\"");
        ex.getResponseHeaders().add("Last-Modified", "Thu, 26 Nov 2026 00:00:00 GMT");
        if (method.equals("HEAD")) {
          ex.getResponseHeaders().add("Content-Length", Long.toString(data.length));
          ex.sendResponseHeaders(200, -1);
          ex.close();
          return;
        }
        ex.sendResponseHeaders(200, data.length == 0 ? -1 : data.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(data);
        }
      }
      default -> send(ex, Reply.empty(405));
    }
  }

  /** An error reply as Swift gives it: a small HTML body. */
  private static void swiftError(HttpExchange ex, int status) throws IOException {
    String title =
        switch (status) {
          case 404 -> "Not Found</h1><p>The resource could not be found.";
          case 409 -> "Conflict</h1><p>There was a conflict when trying to complete your request.";
          case 422 -> "Unprocessable Entity</h1><p>Unable to process the contained instructions";
          default -> "Error</h1><p>";
        };
    byte[] body = ("<html><h1>" + title + "</p></html>").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "text/html; charset=UTF-8");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  private static String md5(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- shared

  private static Reply wrap(String name, ObjectNode node) {
    return Reply.json(200, wrapNode(name, node));
  }

  private static ObjectNode wrapNode(String name, ObjectNode node) {
    ObjectNode root = JSON.createObjectNode();
    root.set(name, node);
    return root;
  }

  /**
   * A list, filtered by the query: {@code name} is a regular expression for Nova servers (as in
   * Nova) and exact elsewhere; other keys among {@code exact} must be equal.
   */
  private static Reply list(
      String key, Map<String, ObjectNode> items, Map<String, String> q, Set<String> exact) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray(key);
    for (ObjectNode item : items.values()) {
      boolean match = true;
      for (Map.Entry<String, String> f : q.entrySet()) {
        if (f.getKey().equals("name") && key.equals("servers")) {
          match &= Pattern.compile(f.getValue()).matcher(item.path("name").asText()).find();
        } else if (exact.contains(f.getKey())) {
          match &= f.getValue().equals(item.path(f.getKey()).asText());
        }
      }
      if (match) {
        list.add(item);
      }
    }
    return Reply.json(200, root);
  }
}
