package io.coffer.api.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code local} strategy: a JSON token file for single-machine use, reloaded whenever it
 * changes. Entries name the token by its SHA-256 ({@code token_sha256}, preferred: the file then
 * holds no usable secret) or in clear ({@code token}):
 *
 * <pre>{"tokens": [{"token_sha256": "…", "user_id": "admin", "project_id": "admin",
 *   "roles": ["admin"]}]}</pre>
 */
public final class LocalTokens implements TokenValidator {

  private final Path file;
  private final ObjectMapper json = new ObjectMapper();
  private volatile Snapshot snapshot = new Snapshot(null, -1, Map.of());

  private record Snapshot(FileTime modified, long size, Map<String, Identity> byHash) {}

  /** Reads tokens from {@code file}. */
  public LocalTokens(Path file) {
    this.file = file;
  }

  @Override
  public Optional<Identity> validate(String token) {
    return Optional.ofNullable(current().byHash().get(sha256(token)));
  }

  private Snapshot current() {
    Snapshot s = snapshot;
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      if (!modified.equals(s.modified()) || size != s.size()) {
        s = new Snapshot(modified, size, load());
        snapshot = s;
      }
    } catch (IOException e) {
      if (s.modified() != null) {
        Log.warnf("token file %s unreadable (%s); no token is valid", file, e.getMessage());
      }
      s = new Snapshot(null, -1, Map.of());
      snapshot = s;
    }
    return s;
  }

  private Map<String, Identity> load() throws IOException {
    JsonNode root = json.readTree(Files.readAllBytes(file));
    Map<String, Identity> byHash = new HashMap<>();
    for (JsonNode t : root.path("tokens")) {
      String hash =
          t.hasNonNull("token_sha256")
              ? t.get("token_sha256").asText().toLowerCase()
              : t.hasNonNull("token") ? sha256(t.get("token").asText()) : null;
      String project = t.path("project_id").asText(null);
      if (hash == null || project == null) {
        continue;
      }
      List<String> roles = new ArrayList<>();
      t.path("roles").forEach(r -> roles.add(r.asText()));
      byHash.put(hash, new Identity(t.path("user_id").asText(project), project, roles, null));
    }
    Log.infof("loaded %d token(s) from %s", byHash.size(), file);
    return byHash;
  }

  /** Hex SHA-256 of a token, as the file stores it. */
  public static String sha256(String token) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
