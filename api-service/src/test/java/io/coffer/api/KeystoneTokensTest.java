package io.coffer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.coffer.api.auth.Identity;
import io.coffer.api.auth.KeystoneTokens;
import io.coffer.api.config.ApiConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The keystone strategy against a stub Keystone v3 that replays recorded responses at the HTTP
 * boundary (the only mock Coffer allows: an external cloud).
 */
class KeystoneTokensTest {

  private static final String USER_TOKEN = "gAAAAABuserToken";
  private HttpServer keystone;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger serviceLogins = new AtomicInteger();
  private volatile boolean revokeServiceTokenOnce;

  @BeforeEach
  void start() throws IOException {
    keystone = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    keystone.createContext("/v3/auth/tokens", this::handle);
    keystone.start();
  }

  @AfterEach
  void stop() {
    keystone.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("X-Subject-Token"));
    if (ex.getRequestMethod().equals("POST")) {
      serviceLogins.incrementAndGet();
      ex.getResponseHeaders().add("X-Subject-Token", "service-token-" + serviceLogins.get());
      reply(ex, 201, "/keystone/service-token.json");
      return;
    }
    String auth = ex.getRequestHeaders().getFirst("X-Auth-Token");
    if (revokeServiceTokenOnce && auth.equals("service-token-1")) {
      revokeServiceTokenOnce = false;
      reply(ex, 401, null);
      return;
    }
    if (!auth.startsWith("service-token-")) {
      reply(ex, 401, null);
      return;
    }
    if (USER_TOKEN.equals(ex.getRequestHeaders().getFirst("X-Subject-Token"))) {
      ex.getResponseHeaders().add("X-Subject-Token", USER_TOKEN);
      reply(ex, 200, "/keystone/token-validate.json");
    } else {
      reply(ex, 404, null);
    }
  }

  private void reply(HttpExchange ex, int code, String resource) throws IOException {
    byte[] body = new byte[0];
    if (resource != null) {
      try (InputStream in = getClass().getResourceAsStream(resource)) {
        body = in.readAllBytes();
      }
    } else {
      body =
          "{\"error\": {\"code\": 404, \"message\": \"not found\"}}"
              .getBytes(StandardCharsets.UTF_8);
    }
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(code, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  private KeystoneTokens validator() {
    String url = "http://127.0.0.1:" + keystone.getAddress().getPort() + "/v3";
    ApiConfig.Keystone config =
        new ApiConfig.Keystone() {
          public Optional<String> authUrl() {
            return Optional.of(url);
          }

          public Optional<String> username() {
            return Optional.of("coffer");
          }

          public Optional<String> password() {
            return Optional.of("service-password");
          }

          public String projectName() {
            return "service";
          }

          public String domainName() {
            return "Default";
          }

          public Duration cacheTime() {
            return Duration.ofMinutes(5);
          }

          public Duration timeout() {
            return Duration.ofSeconds(5);
          }
        };
    return new KeystoneTokens(config, Clock.systemUTC());
  }

  @Test
  void aValidTokenYieldsProjectUserAndRolesAndIsCached() {
    KeystoneTokens tokens = validator();
    Identity id = tokens.validate(USER_TOKEN).orElseThrow();
    assertThat(id.projectId()).isEqualTo("6eb13d0379c847eeb9ed6d18b323a567");
    assertThat(id.userId()).isEqualTo("8d5f29b65d2b4a8f9d3c1e0a7b6c5d4e");
    assertThat(id.roles()).containsExactly("member", "reader");
    tokens.validate(USER_TOKEN);
    assertThat(requests.stream().filter(r -> r.startsWith("GET"))).hasSize(1);
    assertThat(serviceLogins.get()).isEqualTo(1);
  }

  @Test
  void anUnknownTokenIsRejected() {
    assertThat(validator().validate("forged")).isEmpty();
  }

  @Test
  void aRevokedServiceTokenIsRenewedOnce() {
    KeystoneTokens tokens = validator();
    revokeServiceTokenOnce = true;
    assertThat(tokens.validate(USER_TOKEN)).isPresent();
    assertThat(serviceLogins.get()).isEqualTo(2);
  }
}
