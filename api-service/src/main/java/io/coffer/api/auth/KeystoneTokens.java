package io.coffer.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coffer.api.config.ApiConfig;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code keystone} strategy: validates tokens with Keystone v3 ({@code GET /v3/auth/tokens}
 * with the service's own token and the caller's as {@code X-Subject-Token}), as keystonemiddleware
 * does. Results are cached until the token expires, at most {@code cache-time}; the service token
 * is reused until it expires and renewed when Keystone rejects it.
 */
public final class KeystoneTokens implements TokenValidator {

  private static final int MAX_CACHE = 10_000;

  private final ApiConfig.Keystone config;
  private final HttpClient http;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Identity> cache = new ConcurrentHashMap<>();
  private volatile String serviceToken;
  private volatile Instant serviceTokenExpires = Instant.EPOCH;

  /** Creates the validator. */
  public KeystoneTokens(ApiConfig.Keystone config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
  }

  private String base() {
    String url =
        config
            .authUrl()
            .orElseThrow(
                () -> new IllegalStateException("coffer.api.auth.keystone.auth-url is not set"));
    url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return url.endsWith("/v3") ? url : url + "/v3";
  }

  @Override
  public Optional<Identity> validate(String token) {
    String key = LocalTokens.sha256(token);
    Identity cached = cache.get(key);
    Instant now = clock.instant();
    if (cached != null && cached.expiresAt().isAfter(now)) {
      return Optional.of(cached);
    }
    cache.remove(key);
    Optional<Identity> fresh = ask(token, false);
    fresh.ifPresent(
        id -> {
          if (cache.size() >= MAX_CACHE) {
            cache.clear();
          }
          Instant until = now.plus(config.cacheTime());
          Instant expires =
              id.expiresAt() == null || id.expiresAt().isAfter(until) ? until : id.expiresAt();
          cache.put(
              key,
              new Identity(id.userId(), id.projectId(), id.roles(), expires, id.objectStoreUrl()));
        });
    return fresh;
  }

  private Optional<Identity> ask(String token, boolean retried) {
    try {
      HttpRequest req =
          HttpRequest.newBuilder(URI.create(base() + "/auth/tokens"))
              .timeout(config.timeout())
              .header("X-Auth-Token", serviceToken())
              .header("X-Subject-Token", token)
              .header("Accept", "application/json")
              .GET()
              .build();
      HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      if (res.statusCode() == 401 && !retried) {
        // our own token was revoked or expired early: renew it once
        serviceTokenExpires = Instant.EPOCH;
        return ask(token, true);
      }
      if (res.statusCode() == 404 || res.statusCode() == 401) {
        return Optional.empty();
      }
      if (res.statusCode() != 200) {
        throw new IllegalStateException("Keystone answered " + res.statusCode());
      }
      return Optional.of(identity(json.readTree(res.body()).path("token")));
    } catch (IOException e) {
      throw new IllegalStateException("Keystone is unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Identity identity(JsonNode token) {
    List<String> roles = new ArrayList<>();
    token.path("roles").forEach(r -> roles.add(r.path("name").asText()));
    String expires = token.path("expires_at").asText(null);
    return new Identity(
        token.path("user").path("id").asText(null),
        token.path("project").path("id").asText(null),
        roles,
        expires == null ? null : Instant.parse(expires),
        objectStore(token.path("catalog")));
  }

  /** The public endpoint of the catalog's object store (the project's Swift account), or null. */
  static String objectStore(JsonNode catalog) {
    for (JsonNode service : catalog) {
      if (!"object-store".equals(service.path("type").asText())) {
        continue;
      }
      for (JsonNode e : service.path("endpoints")) {
        if ("public".equals(e.path("interface").asText()) && e.hasNonNull("url")) {
          return e.path("url").asText();
        }
      }
    }
    return null;
  }

  private synchronized String serviceToken() throws IOException, InterruptedException {
    if (serviceToken != null && serviceTokenExpires.isAfter(clock.instant().plusSeconds(30))) {
      return serviceToken;
    }
    ObjectNode body = json.createObjectNode();
    ObjectNode auth = body.putObject("auth");
    ObjectNode identity = auth.putObject("identity");
    identity.putArray("methods").add("password");
    ObjectNode user = identity.putObject("password").putObject("user");
    user.put("name", config.username().orElse(""));
    user.putObject("domain").put("name", config.domainName());
    user.put("password", config.password().orElse(""));
    ObjectNode project = auth.putObject("scope").putObject("project");
    project.put("name", config.projectName());
    project.putObject("domain").put("name", config.domainName());
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(base() + "/auth/tokens"))
            .timeout(config.timeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
            .build();
    HttpResponse<byte[]> res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    if (res.statusCode() != 201) {
      throw new IllegalStateException(
          "Keystone refused the service credentials: " + res.statusCode());
    }
    serviceToken = res.headers().firstValue("X-Subject-Token").orElseThrow();
    String expires = json.readTree(res.body()).path("token").path("expires_at").asText(null);
    serviceTokenExpires =
        expires == null ? clock.instant().plusSeconds(3600) : Instant.parse(expires);
    Log.infof("obtained a Keystone service token valid until %s", serviceTokenExpires);
    return serviceToken;
  }
}
