package io.coffer.conductor.messaging;

import io.coffer.model.conductor.NotifyEndArgs;
import io.coffer.model.conductor.NotifyExcInfoArgs;
import io.coffer.model.notification.DbaasNotification;
import io.coffer.persistence.notify.Notices;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The ends of {@code dbaas.*} notifications that a guest finished (Trove's conductor {@code
 * notify_end} and {@code notify_exc_info}): written to the notification outbox in the report
 * batch's transaction; the taskmanager publishes them.
 */
@ApplicationScoped
class GuestNotifications {

  private final Notices notices;
  private final String publisherId;

  GuestNotifications(
      Notices notices,
      @ConfigProperty(name = "coffer.notifications.publisher-id", defaultValue = "conductor.coffer")
          String publisherId) {
    this.notices = notices;
    this.publisherId = publisherId;
  }

  /** {@code dbaas.<action>.end}; false when the report names no notification. */
  boolean end(Connection c, NotifyEndArgs a) throws SQLException {
    String action = DbaasNotification.action(a.serializedNotification());
    if (action == null) {
      return false;
    }
    Map<String, Object> payload = DbaasNotification.payload(a.serializedNotification());
    if (a.notificationArgs() != null) {
      payload.putAll(a.notificationArgs());
    }
    notices.write(c, "dbaas." + action + ".end", publisherId, payload);
    return true;
  }

  /**
   * A backup ended as its guest reported: the {@code dbaas.backup_create} the API left pending ends
   * ({@code failure} null) or fails with the reason.
   */
  void backupEnded(Connection c, String backupId, String failure) throws SQLException {
    notices.complete(c, backupId, "backup_create", publisherId, failure);
  }

  /** {@code dbaas.<action>.error} with the guest's reason; false when it names no notification. */
  boolean error(Connection c, NotifyExcInfoArgs a) throws SQLException {
    String action = DbaasNotification.action(a.serializedNotification());
    if (action == null) {
      return false;
    }
    Map<String, Object> payload =
        new LinkedHashMap<>(DbaasNotification.payload(a.serializedNotification()));
    payload.put("message", a.message());
    payload.put("exception", List.of(a.exception() == null ? a.message() : a.exception()));
    notices.write(c, "dbaas." + action + ".error", publisherId, payload);
    return true;
  }
}
