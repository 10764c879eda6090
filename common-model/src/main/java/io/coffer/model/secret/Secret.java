package io.coffer.model.secret;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;

/**
 * A secret (password, token, key) that serialises as itself on the wire but never prints: {@link
 * #toString()} returns {@code ******}, so a secret that reaches a log line, an exception message or
 * a debug dump stays hidden.
 *
 * @param value the secret text; never {@code null}
 */
public record Secret(@JsonValue String value) {

  /** Text printed in place of any secret. */
  public static final String MASK = "******";

  /** Creates a secret; rejects {@code null}. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public Secret {
    Objects.requireNonNull(value, "secret value");
  }

  /** Wraps a possibly-null text: {@code null} stays {@code null}. */
  public static Secret ofNullable(String value) {
    return value == null ? null : new Secret(value);
  }

  /** Returns the secret text of a possibly-null secret. */
  public static String reveal(Secret secret) {
    return secret == null ? null : secret.value();
  }

  /** True when the secret is empty or only blanks. */
  public boolean isBlank() {
    return value.isBlank();
  }

  @Override
  public String toString() {
    return MASK;
  }
}
