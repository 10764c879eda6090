package io.coffer.api.auth;

import java.util.Optional;

/** Turns an {@code X-Auth-Token} into an identity; empty when the token is not valid. */
public interface TokenValidator {

  /** Validates a token. */
  Optional<Identity> validate(String token);
}
