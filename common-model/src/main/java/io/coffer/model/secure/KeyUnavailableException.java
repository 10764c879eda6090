package io.coffer.model.secure;

/**
 * An instance's message key cannot be read now (the infrastructure database is unreachable); the
 * message waits and is tried again, it is not refused.
 */
public class KeyUnavailableException extends RuntimeException {
  public KeyUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
