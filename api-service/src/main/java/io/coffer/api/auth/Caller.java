package io.coffer.api.auth;

import io.coffer.model.rpc.RequestContext;
import io.coffer.model.secret.Secret;
import java.util.List;

/**
 * The authenticated caller of the current request.
 *
 * @param userId the user
 * @param projectId the project of the token
 * @param roles the roles
 * @param admin whether a role is an admin role
 * @param token the token (never printed)
 * @param requestId the request id ({@code req-<uuid>})
 */
public record Caller(
    String userId,
    String projectId,
    List<String> roles,
    boolean admin,
    Secret token,
    String requestId) {

  /** The oslo request context that travels with the messages this request sends. */
  public RequestContext context() {
    return RequestContext.forUser(userId, projectId, roles, admin, requestId)
        .with("auth_token", token == null ? null : token.value());
  }
}
