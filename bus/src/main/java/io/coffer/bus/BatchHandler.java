package io.coffer.bus;

import io.coffer.model.rpc.Envelope;
import java.util.List;

/**
 * Handles messages in batches: one call gets up to the configured number of decoded messages, does
 * their work (typically in one database transaction) and says what became of each. The consumer
 * acknowledges the whole batch only after this returns; if it throws, every message of the batch
 * returns to the queue (and is dead-lettered once it has failed too often).
 */
public interface BatchHandler {

  /** What became of one message. */
  enum Outcome {
    /** Done (or deliberately dropped, e.g. stale): acknowledge. */
    DONE,
    /** Can never succeed: dead-letter it with the reason. */
    REJECT
  }

  /**
   * The result for one message.
   *
   * @param outcome done or rejected
   * @param reason why it was rejected
   */
  record Result(Outcome outcome, String reason) {
    /** Done. */
    public static final Result DONE = new Result(Outcome.DONE, null);

    /** Rejected with a reason. */
    public static Result reject(String reason) {
      return new Result(Outcome.REJECT, reason);
    }
  }

  /** Handles a batch; the results are in the batch's order. */
  List<Result> handle(List<Envelope> batch) throws Exception;
}
