package io.coffer.bus;

/** The broker had no queue for a message's topic (e.g. the guest agent's queue is gone). */
public class UnroutableException extends BusException {

  /** Creates the exception for {@code topic}. */
  public UnroutableException(String topic) {
    super("No queue receives messages for " + topic);
  }
}
