package io.coffer.model.routing;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Names on the bus, spelled once. Routing keys are Trove's topics; a durable queue of the same name
 * is bound to each on the one topic exchange.
 */
public final class Topics {

  /** Default name of the one topic exchange (Trove's {@code control_exchange} is {@code trove}). */
  public static final String DEFAULT_EXCHANGE = "coffer";

  /** Topic (routing key and queue) of the taskmanagers. */
  public static final String TASKMANAGER = "taskmanager";

  /** Default topic of the conductors ({@code conductor_queue}). */
  public static final String CONDUCTOR = "trove-conductor";

  /** Exchange and queue that receive messages no consumer could handle. */
  public static final String DEAD_LETTER = "coffer.dead-letter";

  /** Topic exchange the replies of least-privilege guests go through, keyed by reply queue. */
  public static final String REPLY_EXCHANGE = "coffer.reply";

  private static final String GUEST_PREFIX = "guestagent.";
  private static final Pattern GUEST = Pattern.compile("guestagent\\.[0-9a-fA-F-]{36}");

  private Topics() {}

  /** Topic of one instance's guest agent: {@code guestagent.<instance-id>}. */
  public static String guest(String instanceId) {
    return GUEST_PREFIX + instanceId;
  }

  /** True for a guest agent topic. */
  public static boolean isGuest(String topic) {
    return topic != null && GUEST.matcher(topic).matches();
  }

  /** The instance id of a guest agent topic. */
  public static String instanceOf(String guestTopic) {
    if (!isGuest(guestTopic)) {
      throw new IllegalArgumentException("not a guest topic: " + guestTopic);
    }
    return guestTopic.substring(GUEST_PREFIX.length());
  }

  private static final Pattern REPLY = Pattern.compile("reply_[0-9a-f]+");

  /** True for a reply queue name as {@link #newReplyQueue} makes them. */
  public static boolean isReplyQueue(String name) {
    return name != null && REPLY.matcher(name).matches();
  }

  /** A new private reply queue name, as oslo.messaging names them: {@code reply_<hex>}. */
  public static String newReplyQueue() {
    return "reply_" + UUID.randomUUID().toString().replace("-", "");
  }
}
