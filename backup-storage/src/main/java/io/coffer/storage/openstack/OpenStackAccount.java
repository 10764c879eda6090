package io.coffer.storage.openstack;

import java.util.Optional;

/**
 * A Keystone v3 account and the project it works in.
 *
 * @param authUrl Keystone v3 URL, e.g. {@code https://keystone.example.org/v3}
 * @param username the user
 * @param password its password (a secret: never in {@link #toString()})
 * @param userDomain the user's domain
 * @param project the project
 * @param projectDomain the project's domain
 * @param region region of the endpoints, optional (default: the catalog's first)
 * @param endpointInterface {@code public}, {@code internal} or {@code admin}
 */
public record OpenStackAccount(
    String authUrl,
    String username,
    String password,
    String userDomain,
    String project,
    String projectDomain,
    Optional<String> region,
    String endpointInterface) {

  @Override
  public String toString() {
    return "OpenStackAccount[authUrl="
        + authUrl
        + ", user="
        + username
        + ", project="
        + project
        + "]";
  }
}
