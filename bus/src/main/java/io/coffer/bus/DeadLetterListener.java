package io.coffer.bus;

import io.coffer.model.rpc.Envelope;

/**
 * Told when a consumed message is given up on and dead-lettered (its handler kept failing, or it
 * can never be handled), so that what waited for it does not stay stranded.
 */
public interface DeadLetterListener {

  /**
   * A message taken from {@code queue} was dead-lettered.
   *
   * @param reason why, as recorded on the dead letter
   */
  void deadLettered(String queue, Envelope message, String reason);
}
