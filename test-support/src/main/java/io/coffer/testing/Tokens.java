package io.coffer.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Tokens for the API's {@code local} strategy: each call adds an entry to the token file the test
 * application reads ({@code target/test-tokens.json}, reloaded on change) and returns the token.
 */
public final class Tokens {

  private static final Path FILE =
      Path.of(System.getProperty("coffer.test.token-file", "target/test-tokens.json"));
  private static final List<String> ENTRIES = new ArrayList<>();
  private static String admin;

  private Tokens() {}

  /** A member token of a project. */
  public static synchronized String forProject(String projectId) {
    return add("user-" + projectId, projectId, "member");
  }

  /** A token with the admin role (its own project is {@code admin}). */
  public static synchronized String admin() {
    if (admin == null) {
      admin = add("admin", "admin", "admin");
    }
    return admin;
  }

  private static String add(String user, String project, String role) {
    String token = "tok-" + UUID.randomUUID();
    ENTRIES.add(
        "{\"token\": \""
            + token
            + "\", \"user_id\": \""
            + user
            + "\", \"project_id\": \""
            + project
            + "\", \"roles\": [\""
            + role
            + "\"]}");
    try {
      Files.createDirectories(FILE.toAbsolutePath().getParent());
      Path tmp = Files.createTempFile(FILE.toAbsolutePath().getParent(), "tokens", ".json");
      Files.writeString(
          tmp, "{\"tokens\": [" + String.join(",\n", ENTRIES) + "]}", StandardCharsets.UTF_8);
      Files.move(tmp, FILE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + FILE, e);
    }
    return token;
  }
}
