package io.coffer.api.auth;

import io.coffer.model.rpc.RequestContext;
import io.coffer.model.secret.Secret;
import java.util.List;
import java.util.Map;

/**
 * The authenticated caller of the current request.
 *
 * @param userId the user
 * @param projectId the project of the token
 * @param roles the roles
 * @param admin whether a role is an admin role
 * @param token the token (never printed)
 * @param requestId the request id ({@code req-<uuid>})
 * @param objectStoreUrl the project's object store account, from the token's catalog ({@code null}:
 *     none)
 */
public record Caller(
    String userId,
    String projectId,
    List<String> roles,
    boolean admin,
    Secret token,
    String requestId,
    String objectStoreUrl) {

  /**
   * The oslo request context that travels with the messages this request sends: with the token and,
   * where the token's catalog has one, the object store (as Trove's {@code service_catalog}),
   * through which a guest publishes into the project's own account.
   */
  public RequestContext context() {
    RequestContext c =
        RequestContext.forUser(userId, projectId, roles, admin, requestId)
            .with("auth_token", token == null ? null : token.value());
    return objectStoreUrl == null
        ? c
        : c.with(
            "service_catalog",
            List.of(
                Map.of(
                    "type",
                    "object-store",
                    "endpoints",
                    List.of(Map.of("interface", "public", "url", objectStoreUrl)))));
  }
}
