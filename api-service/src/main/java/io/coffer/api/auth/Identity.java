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
 */
public record Identity(String userId, String projectId, List<String> roles, Instant expiresAt) {}
