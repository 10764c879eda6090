package io.coffer.api.service;

import io.coffer.api.fault.CofferException;

/**
 * A user as named in a URL: {@code name} or {@code name@host} (split at the last {@code @}); no
 * host means {@code %}.
 *
 * @param name user name
 * @param host user host
 */
public record UserRef(String name, String host) {

  /** Parses a URL's user id. */
  public static UserRef parse(String id) {
    int at = id.lastIndexOf('@');
    if (at <= 0) {
      return new UserRef(id, "%");
    }
    return new UserRef(id.substring(0, at), id.substring(at + 1));
  }

  /** 404 for a user the instance does not have. */
  public static CofferException notFound(UserRef ref) {
    return CofferException.notFound("User " + ref.name() + " cannot be found on the instance.");
  }
}
