package io.coffer.guest.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Published logs in the tenant's own Swift account, as Trove publishes them: the container {@code
 * database_logs} of the account the request's catalog names, reached with the request's own token,
 * so that the tenant reads them with its own credentials ({@code openstack database log tail}) and
 * no other project can. The token is sent to Swift only, never logged.
 */
final class SwiftLogStore implements LogStore {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final String account;
  private final String token;
  private boolean containerMade;

  SwiftLogStore(String account, String token) {
    this.account = account.endsWith("/") ? account.substring(0, account.length() - 1) : account;
    this.token = token;
  }

  @Override
  public String container() {
    return GuestLogs.CONTAINER;
  }

  private static String path(String name) {
    StringBuilder out = new StringBuilder();
    for (String part : name.split("/", -1)) {
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
    }
    return out.toString();
  }

  private HttpRequest.Builder request(String rest) {
    return HttpRequest.newBuilder(URI.create(account + "/" + GuestLogs.CONTAINER + rest))
        .timeout(TIMEOUT)
        .header("X-Auth-Token", token);
  }

  private <T> HttpResponse<T> send(HttpRequest r, HttpResponse.BodyHandler<T> body)
      throws IOException {
    try {
      return HTTP.send(r, body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static IOException failed(String what, HttpResponse<?> r) {
    return new IOException(what + ": Swift answered " + r.statusCode());
  }

  private void ensureContainer() throws IOException {
    if (containerMade) {
      return;
    }
    HttpResponse<Void> r =
        send(
            request("").PUT(HttpRequest.BodyPublishers.noBody()).build(),
            HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() / 100 != 2) {
      throw failed("cannot create the container " + GuestLogs.CONTAINER, r);
    }
    containerMade = true;
  }

  @Override
  public void put(String name, byte[] data, Map<String, String> metadata) throws IOException {
    ensureContainer();
    HttpRequest.Builder b =
        request("/" + path(name)).PUT(HttpRequest.BodyPublishers.ofByteArray(data));
    metadata.forEach((k, v) -> b.header("X-Object-Meta-" + k, v));
    HttpResponse<Void> r = send(b.build(), HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() != 201) {
      throw failed("cannot store " + name, r);
    }
  }

  @Override
  public Optional<byte[]> get(String name) throws IOException {
    HttpResponse<byte[]> r =
        send(request("/" + path(name)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    if (r.statusCode() != 200) {
      throw failed("cannot read " + name, r);
    }
    return Optional.of(r.body());
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    List<String> names = new ArrayList<>();
    String marker = "";
    while (true) {
      HttpResponse<byte[]> r =
          send(
              request(
                      "?format=json&prefix="
                          + URLEncoder.encode(prefix, StandardCharsets.UTF_8)
                          + "&marker="
                          + URLEncoder.encode(marker, StandardCharsets.UTF_8))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() == 404) {
        return names;
      }
      if (r.statusCode() == 204) {
        break;
      }
      if (r.statusCode() != 200) {
        throw failed("cannot list " + GuestLogs.CONTAINER, r);
      }
      JsonNode page = JSON.readTree(r.body());
      if (page.isEmpty()) {
        break;
      }
      for (JsonNode o : page) {
        names.add(o.path("name").asText());
      }
      marker = names.get(names.size() - 1);
    }
    return names;
  }

  @Override
  public void delete(String name) throws IOException {
    HttpResponse<Void> r =
        send(request("/" + path(name)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
    if (r.statusCode() != 204 && r.statusCode() != 404) {
      throw failed("cannot delete " + name, r);
    }
  }
}
