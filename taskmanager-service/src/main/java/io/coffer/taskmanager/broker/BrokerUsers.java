package io.coffer.taskmanager.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.bus.BusConfig;
import io.coffer.model.routing.Topics;
import io.coffer.taskmanager.config.TaskManagerConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A RabbitMQ user per guest agent, through the broker's management API: it may consume only its own
 * queue ({@code guestagent.<id>}), publish only to the conductor's routing key on the Coffer
 * exchange, replies through the reply exchange and dead letters; it may declare, bind or delete
 * nothing. Created before the guest starts, deleted with the instance.
 */
@ApplicationScoped
public class BrokerUsers {

  /** Prefix of guest users' names: {@code coffer-guest-<instance id>}. */
  public static final String PREFIX = "coffer-guest-";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final BusConfig bus;
  private final TaskManagerConfig.BrokerUsers config;
  private final HttpClient http;

  BrokerUsers(BusConfig bus, TaskManagerConfig config) {
    this.bus = bus;
    this.config = config.brokerUsers();
    // HTTP/1.1: the broker's web server drops requests offering an h2c upgrade
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();
  }

  /** A guest's broker credentials. */
  public record Credentials(String username, String password) {
    @Override
    public String toString() {
      return "Credentials[" + username + "]";
    }
  }

  /** True when guests get users of their own. */
  public boolean enabled() {
    return config.enabled();
  }

  public static String userOf(String instanceId) {
    return PREFIX + instanceId;
  }

  /**
   * Creates (or resets) the broker user of an instance's guest with a random password and its
   * permissions; returns its credentials.
   *
   * @throws IllegalStateException when the management API refuses or cannot be reached
   */
  public Credentials create(String instanceId) {
    return create(instanceId, Optional.empty());
  }

  /**
   * Creates (or resets) the broker user of an instance's guest; with the instance's message key its
   * password is derived from that key, so a create repeated after a crash gives the guest that may
   * already run the password it holds.
   *
   * @throws IllegalStateException when the management API refuses or cannot be reached
   */
  public Credentials create(String instanceId, Optional<SecretKey> instanceKey) {
    String user = userOf(instanceId);
    String password = instanceKey.map(k -> derived(k, instanceId)).orElseGet(BrokerUsers::random);
    String vhost = enc(bus.virtualHost());
    put("/api/users/" + enc(user), Map.of("password", password, "tags", ""));
    String queue = literal(Topics.guest(instanceId));
    put(
        "/api/permissions/" + vhost + "/" + enc(user),
        Map.of(
            "configure",
            "^$",
            "write",
            "^("
                + literal(bus.exchange())
                + "|"
                + literal(Topics.REPLY_EXCHANGE)
                + "|"
                + literal(Topics.DEAD_LETTER)
                + ")$",
            "read",
            "^" + queue + "$"));
    // routing keys: to the conductor only on the Coffer exchange; replies only to reply queues
    put(
        "/api/topic-permissions/" + vhost + "/" + enc(user),
        Map.of(
            "exchange",
            bus.exchange(),
            "write",
            "^" + literal(bus.conductorTopic()) + "$",
            "read",
            "^$"));
    put(
        "/api/topic-permissions/" + vhost + "/" + enc(user),
        Map.of("exchange", Topics.REPLY_EXCHANGE, "write", "^reply_[0-9a-f]+$", "read", "^$"));
    Log.infof("instance %s: broker user %s created", instanceId, user);
    return new Credentials(user, password);
  }

  private static String random() {
    byte[] secret = new byte[24];
    RANDOM.nextBytes(secret);
    return HexFormat.of().formatHex(secret);
  }

  private static String derived(SecretKey key, String instanceId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      byte[] out =
          mac.doFinal(("coffer broker password " + instanceId).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(out, 0, 24);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot derive the broker password", e);
    }
  }

  /** Deletes the broker user of an instance's guest (its connections close); absent is fine. */
  public void delete(String instanceId) {
    String user = userOf(instanceId);
    HttpResponse<String> r = send(request("/api/users/" + enc(user)).DELETE().build());
    if (r.statusCode() != 204 && r.statusCode() != 404) {
      throw new IllegalStateException(
          "the broker did not delete user " + user + ": HTTP " + r.statusCode());
    }
    if (r.statusCode() == 204) {
      Log.infof("instance %s: broker user %s deleted", instanceId, user);
    }
  }

  /**
   * The instance ids of the guest users of this deployment: those with permissions on its virtual
   * host. Users are global to a broker, and another deployment's guests (another virtual host) are
   * none of this one's business.
   */
  public List<String> instancesWithUsers() {
    HttpResponse<String> r =
        send(request("/api/vhosts/" + enc(bus.virtualHost()) + "/permissions").GET().build());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(
          "the broker did not list the virtual host's permissions: HTTP " + r.statusCode());
    }
    List<String> out = new ArrayList<>();
    try {
      for (JsonNode p : JSON.readTree(r.body())) {
        String name = p.path("user").asText();
        if (name.startsWith(PREFIX) && bus.virtualHost().equals(p.path("vhost").asText())) {
          out.add(name.substring(PREFIX.length()));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("the broker's permission list is not JSON", e);
    }
    return out;
  }

  /** The instance ids of the guest queues the broker has. */
  public List<String> instancesWithQueues() {
    HttpResponse<String> r =
        send(request("/api/queues/" + enc(bus.virtualHost()) + "?columns=name").GET().build());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("the broker did not list queues: HTTP " + r.statusCode());
    }
    List<String> out = new ArrayList<>();
    try {
      for (JsonNode q : JSON.readTree(r.body())) {
        String name = q.path("name").asText();
        if (Topics.isGuest(name)) {
          out.add(Topics.instanceOf(name));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("the broker's queue list is not JSON", e);
    }
    return out;
  }

  private void put(String path, Map<String, String> body) {
    String json;
    try {
      json = JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    HttpResponse<String> r =
        send(
            request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build());
    if (r.statusCode() != 201 && r.statusCode() != 204) {
      throw new IllegalStateException(
          "the broker's management API refused "
              + path.replaceAll("/[^/]*$", "/…")
              + ": HTTP "
              + r.statusCode());
    }
  }

  private HttpRequest.Builder request(String path) {
    String credentials =
        config.username().orElse(bus.username()) + ":" + config.password().orElse(bus.password());
    return HttpRequest.newBuilder(URI.create(managementUrl() + path))
        .timeout(TIMEOUT)
        .header(
            "Authorization",
            "Basic "
                + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
  }

  private String managementUrl() {
    String url = config.managementUrl().orElse("http://" + bus.host() + ":15672");
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(
          "the broker's management API at " + managementUrl() + " cannot be reached: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A regular expression matching exactly {@code s} (the broker's are PCRE). */
  static String literal(String s) {
    return s.replaceAll("[^A-Za-z0-9_-]", "\\\\$0");
  }
}
