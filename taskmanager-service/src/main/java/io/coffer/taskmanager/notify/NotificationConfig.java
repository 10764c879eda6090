package io.coffer.taskmanager.notify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Trove's usage notifications ({@code trove.instance.*}), under {@code coffer.notifications}. They
 * go to the notification topics of the exchange {@code
 * mp.messaging.outgoing.notifications.exchange.name} (default {@code trove}, Trove's
 * control_exchange) in oslo.messaging's format.
 */
@ConfigMapping(prefix = "coffer.notifications")
public interface NotificationConfig {

  /** Whether usage notifications are emitted at all (off by default, as in Trove). */
  @WithDefault("false")
  boolean enabled();

  /** Trove's notification_topics: each notification goes to {@code <topic>.<priority>}. */
  @WithDefault("notifications")
  List<String> topics();

  /** The publisher id of the notifications (Trove: the host's name). */
  @WithDefault("taskmanager.coffer")
  String publisherId();

  /** Trove's region, for instances that have none recorded. */
  @WithDefault("LOCAL_DEV")
  String region();

  /** Trove's exists_notification_interval: the audit period of trove.instance.exists. */
  @WithDefault("1h")
  Duration existsInterval();

  /** How often the taskmanager looks for an ended audit period to report. */
  @WithDefault("60s")
  Duration existsCheck();

  /** Instances read at once by the exists audit. */
  @WithDefault("500")
  int existsPageSize();

  /** How often the outbox is sent when nothing wakes it earlier. */
  @WithDefault("1s")
  Duration relayInterval();

  /**
   * Trove's notification_service_id: the id each datastore manager's events carry (Trove's own ids
   * in application.properties).
   */
  Map<String, String> serviceIds();
}
