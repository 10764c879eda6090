package io.coffer.testing.openstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.testing.ServiceProcess;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The test suite's real OpenStack services: Debian's Keystone, Swift and Glance on loopback, as
 * {@code deploy/local/openstack up --test} runs them (Keystone :25000, Swift :28080, Glance
 * :29292). When they do not answer, {@link #get()} runs that script (which installs what is
 * missing); if it cannot, the test fails with the script's message: nothing is skipped.
 *
 * <p>Accounts: {@code admin} (project {@code admin}), Coffer's service account {@code coffer}
 * (project {@code service}, roles admin and service), and two tenants {@code alpha} and {@code
 * beta}, each a member of its own project of the same name.
 */
public final class RealOpenStack {

  /** Keystone's port in the test set. */
  public static final int KEYSTONE_PORT = 25000;

  /** The port the catalog gives for Coffer's API ({@code database} service) in the test set. */
  public static final int API_PORT = 28780;

  private static final Path CREDENTIALS = Path.of("/tmp/coffer-test/openstack/credentials.env");
  private static RealOpenStack instance;

  private final Properties credentials;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();
  private final java.util.Map<String, String> tokens =
      new java.util.concurrent.ConcurrentHashMap<>();

  private RealOpenStack(Properties credentials) {
    this.credentials = credentials;
  }

  /** The running services, started first if they are not. */
  public static synchronized RealOpenStack get() {
    if (instance == null || !instance.answers()) {
      if (!Files.exists(CREDENTIALS) || !answers(keystoneUrl() + "/v3")) {
        script("up", "--test");
      }
      instance = new RealOpenStack(load());
    }
    return instance;
  }

  /**
   * Runs {@code deploy/local/openstack} with these arguments; fails with its output if it fails.
   */
  public static String script(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ServiceProcess.repositoryRoot().resolve("deploy/local/openstack").toString());
    cmd.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("openstack-", ".log");
      Process p =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      boolean done = p.waitFor(15, TimeUnit.MINUTES);
      String output = Files.readString(out);
      Files.deleteIfExists(out);
      if (!done || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "the real OpenStack services could not be started ("
                + String.join(" ", cmd)
                + "):\n"
                + output);
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + cmd + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String keystoneUrl() {
    return "http://127.0.0.1:" + KEYSTONE_PORT;
  }

  private static boolean answers(String url) {
    try {
      java.net.HttpURLConnection c =
          (java.net.HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout(2000);
      c.setReadTimeout(2000);
      try {
        return c.getResponseCode() < 400;
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  private boolean answers() {
    return answers(authUrl());
  }

  private static Properties load() {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(CREDENTIALS)) {
      p.load(r);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + CREDENTIALS + ": " + e.getMessage(), e);
    }
    return p;
  }

  private String value(String key) {
    String v = credentials.getProperty(key);
    if (v == null) {
      throw new IllegalStateException(key + " is missing from " + CREDENTIALS);
    }
    return v;
  }

  /** Keystone's v3 URL. */
  public String authUrl() {
    return keystoneUrl() + "/v3";
  }

  /** Swift's proxy, e.g. {@code http://127.0.0.1:28080}. */
  public String swiftUrl() {
    return value("SWIFT_URL");
  }

  /** Glance's API, e.g. {@code http://127.0.0.1:29292}. */
  public String glanceUrl() {
    return value("GLANCE_URL");
  }

  /** The password of a user: {@code admin}, {@code coffer}, {@code alpha} or {@code beta}. */
  public String password(String user) {
    return value(user.toUpperCase() + "_PASSWORD");
  }

  /** The id of a project: {@code admin}, {@code service}, {@code alpha} or {@code beta}. */
  public String projectId(String project) {
    return value(project.toUpperCase() + "_PROJECT_ID");
  }

  /**
   * A project-scoped token of a user in the user's project ({@code coffer} works in {@code
   * service}), the same for every call of this run.
   */
  public String token(String user) {
    return tokens.computeIfAbsent(user, this::newToken);
  }

  /** A new project-scoped token of a user, never handed out before (to revoke, for example). */
  public String newToken(String user) {
    String project = projectOf(user);
    String body =
        """
        {"auth": {"identity": {"methods": ["password"], "password": {"user": {
           "name": "%s", "domain": {"name": "Default"}, "password": "%s"}}},
         "scope": {"project": {"name": "%s", "domain": {"name": "Default"}}}}}
        """
            .formatted(user, password(user), project);
    HttpResponse<String> res =
        send(
            HttpRequest.newBuilder(URI.create(authUrl() + "/auth/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    if (res.statusCode() != 201) {
      throw new IllegalStateException("Keystone refused " + user + ": " + res.statusCode());
    }
    return res.headers().firstValue("X-Subject-Token").orElseThrow();
  }

  /** Revokes a token (Keystone's DELETE /v3/auth/tokens, as the admin). */
  public void revoke(String token) {
    HttpResponse<String> res =
        send(
            HttpRequest.newBuilder(URI.create(authUrl() + "/auth/tokens"))
                .header("X-Auth-Token", token("admin"))
                .header("X-Subject-Token", token)
                .DELETE());
    if (res.statusCode() != 204) {
      throw new IllegalStateException("Keystone did not revoke the token: " + res.statusCode());
    }
  }

  /** Whether Keystone says a token is valid (asked with the admin's token, as a service asks). */
  public boolean valid(String token) {
    HttpResponse<String> res =
        send(
            HttpRequest.newBuilder(URI.create(authUrl() + "/auth/tokens"))
                .header("X-Auth-Token", token("admin"))
                .header("X-Subject-Token", token)
                .GET());
    return res.statusCode() == 200;
  }

  /** Whether Glance shows an image to the holder of a token. */
  public boolean imageExists(String imageId, String token) {
    return send(HttpRequest.newBuilder(URI.create(glanceUrl() + "/v2/images/" + imageId))
                .header("X-Auth-Token", token)
                .GET())
            .statusCode()
        == 200;
  }

  /**
   * Creates an image in Glance as a user (in its project), with a few bytes of data unless {@code
   * upload} is false (then it stays {@code queued}); returns its id.
   */
  public String createImage(String user, String name, boolean upload, String... tags) {
    StringBuilder tagList = new StringBuilder();
    for (String t : tags) {
      tagList.append(tagList.length() == 0 ? "" : ", ").append('"').append(t).append('"');
    }
    HttpResponse<String> res =
        send(
            HttpRequest.newBuilder(URI.create(glanceUrl() + "/v2/images"))
                .header("X-Auth-Token", token(user))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \""
                            + name
                            + "\", \"disk_format\": \"qcow2\", \"container_format\": \"bare\","
                            + " \"tags\": ["
                            + tagList
                            + "]}")));
    if (res.statusCode() != 201) {
      throw new IllegalStateException("Glance refused the image: " + res.statusCode() + res.body());
    }
    String id = json(res.body()).path("id").asText();
    if (upload) {
      HttpResponse<String> put =
          send(
              HttpRequest.newBuilder(URI.create(glanceUrl() + "/v2/images/" + id + "/file"))
                  .header("X-Auth-Token", token(user))
                  .header("Content-Type", "application/octet-stream")
                  .PUT(HttpRequest.BodyPublishers.ofString("a disk image named " + name)));
      if (put.statusCode() != 204) {
        throw new IllegalStateException("Glance refused the data: " + put.statusCode());
      }
    }
    return id;
  }

  /** Deletes an image a user made. */
  public void deleteImage(String user, String imageId) {
    send(
        HttpRequest.newBuilder(URI.create(glanceUrl() + "/v2/images/" + imageId))
            .header("X-Auth-Token", token(user))
            .DELETE());
  }

  /**
   * Puts services into Keystone's catalog (region RegionOne, every interface), replacing the URLs
   * of entries of the same type and name: {@code type → [name, URL]}.
   */
  public void register(java.util.Map<String, List<String>> services) {
    StringBuilder catalog = new StringBuilder();
    services.forEach(
        (type, entry) ->
            catalog
                .append(catalog.length() == 0 ? "" : ", ")
                .append("{\"type\": \"")
                .append(type)
                .append("\", \"name\": \"")
                .append(entry.get(0))
                .append("\", \"url\": \"")
                .append(entry.get(1))
                .append("\"}"));
    String spec =
        "{\"auth_url\": \""
            + authUrl()
            + "\", \"admin_password\": \""
            + password("admin")
            + "\", \"region\": \"RegionOne\", \"catalog\": ["
            + catalog
            + "]}";
    try {
      Path file = Files.createTempFile("catalog-", ".json");
      try {
        Files.writeString(file, spec);
        Process p =
            new ProcessBuilder(
                    "/usr/bin/python3",
                    ServiceProcess.repositoryRoot()
                        .resolve("deploy/local/keystone-setup.py")
                        .toString(),
                    file.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
          throw new IllegalStateException("registering " + services.keySet() + " failed: " + out);
        }
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The project a user works in: {@code coffer}'s is {@code service}, the others' their own. */
  public static String projectOf(String user) {
    return "coffer".equals(user) ? "service" : user;
  }

  /** The Swift URL of the account of a user's project. */
  public String swiftAccount(String user) {
    return swiftUrl() + "/v1/AUTH_" + projectId(projectOf(user));
  }

  /**
   * The names of the objects in a container of a user's project's account (empty when the container
   * does not exist).
   */
  public List<String> objects(String user, String container) {
    HttpResponse<String> res =
        send(
            HttpRequest.newBuilder(
                    URI.create(swiftAccount(user) + "/" + container + "?format=json"))
                .header("X-Auth-Token", token(user))
                .GET());
    if (res.statusCode() == 404) {
      return List.of();
    }
    if (res.statusCode() != 200) {
      throw new IllegalStateException("Swift listed " + container + ": " + res.statusCode());
    }
    List<String> names = new ArrayList<>();
    try {
      for (JsonNode o : json.readTree(res.body())) {
        names.add(o.path("name").asText());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return names;
  }

  /** Overwrites an object of a user's project's account with other bytes of the same length. */
  public void corrupt(String user, String container, String object) {
    String url = swiftAccount(user) + "/" + container + "/" + object;
    String token = token(user);
    HttpResponse<byte[]> got =
        send(
            HttpRequest.newBuilder(URI.create(url)).header("X-Auth-Token", token).GET(),
            HttpResponse.BodyHandlers.ofByteArray());
    byte[] data = got.body();
    data[data.length / 2] ^= 0x5a;
    HttpResponse<String> put =
        send(
            HttpRequest.newBuilder(URI.create(url))
                .header("X-Auth-Token", token)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)));
    if (put.statusCode() != 201) {
      throw new IllegalStateException("Swift refused the overwrite: " + put.statusCode());
    }
  }

  /** Deletes one object of a user's project's account. */
  public void deleteObject(String user, String container, String object) {
    HttpResponse<String> res =
        send(
            HttpRequest.newBuilder(URI.create(swiftAccount(user) + "/" + container + "/" + object))
                .header("X-Auth-Token", token(user))
                .DELETE());
    if (res.statusCode() != 204) {
      throw new IllegalStateException("Swift did not delete " + object + ": " + res.statusCode());
    }
  }

  /** Deletes a container of a user's project's account and every object in it. */
  public void deleteContainer(String user, String container) {
    String token = token(user);
    for (String name : objects(user, container)) {
      send(
          HttpRequest.newBuilder(URI.create(swiftAccount(user) + "/" + container + "/" + name))
              .header("X-Auth-Token", token)
              .DELETE());
    }
    send(
        HttpRequest.newBuilder(URI.create(swiftAccount(user) + "/" + container))
            .header("X-Auth-Token", token)
            .DELETE());
  }

  /** Sends a request and returns its answer as text. */
  public HttpResponse<String> send(HttpRequest.Builder request) {
    return send(request, HttpResponse.BodyHandlers.ofString());
  }

  private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(30)).build(), body);
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Parses a JSON answer. */
  public JsonNode json(String body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
