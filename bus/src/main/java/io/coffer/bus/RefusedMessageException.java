package io.coffer.bus;

/** A message refused by the protection of instance messages: forged, misdirected or plaintext. */
public class RefusedMessageException extends BusException {

  private final String reason;

  RefusedMessageException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Short reason for metrics: forged, instance-mismatch, unknown-key, plaintext. */
  public String reason() {
    return reason;
  }
}
