package io.coffer.api.auth;

import java.time.Instant;
import java.util.List;

/**
 * Who a token belongs to.
 *
 * @param userId the user
 * @param projectId the project the token is scoped to
 * @param roles the user's roles in that project
 * @param expiresAt when the token expires ({@code null}: never)
 * @param objectStoreUrl the project's object store account from the token's catalog ({@code null}:
 *     none)
 */
public record Identity(
    String userId, String projectId, List<String> roles, Instant expiresAt, String objectStoreUrl) {

  /** An identity without an object store. */
  public Identity(String userId, String projectId, List<String> roles, Instant expiresAt) {
    this(userId, projectId, roles, expiresAt, null);
  }
}
