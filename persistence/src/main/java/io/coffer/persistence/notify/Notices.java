package io.coffer.persistence.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Trove's API notifications ({@code dbaas.<action>.start|end|error}) in the notification outbox,
 * written on the caller's connection so that each goes with the change it reports. The API writes
 * the start (and the end of what it finishes itself); for an action the taskmanager carries out,
 * the API records the notification as pending in the transaction that gives the instance its task,
 * and the taskmanager turns it into its end, or its error with the reason, in the transaction that
 * ends that task. The taskmanager's relay publishes the outbox.
 */
@ApplicationScoped
public class Notices {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter OSLO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
  private static final String INSERT =
      "INSERT INTO notification_outbox (created, event_type, priority, body)"
          + " VALUES (now(), ?, 'INFO', ?)";

  private final boolean enabled;

  Notices(
      @ConfigProperty(name = "coffer.notifications.enabled", defaultValue = "false") boolean on) {
    this.enabled = on;
  }

  /** Whether notifications are emitted at all. */
  public boolean enabled() {
    return enabled;
  }

  /** One notification, as oslo.messaging's notifier writes it, into the outbox. */
  public void write(Connection c, String eventType, String publisherId, Map<String, Object> payload)
      throws SQLException {
    if (!enabled) {
      return;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("message_id", UUID.randomUUID().toString());
    body.put("publisher_id", publisherId);
    body.put("event_type", eventType);
    body.put("priority", "INFO");
    body.put("payload", payload);
    body.put("timestamp", OSLO_TIME.format(Instant.now()));
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      ps.setString(1, eventType);
      ps.setString(2, json(body));
      ps.executeUpdate();
    }
  }

  /**
   * Records the notification {@code dbaas.<action>} whose end another daemon writes when the work
   * {@code stage} on {@code subjectId} (an instance's task, a backup's creation or deletion) ends.
   */
  public void pending(
      Connection c, String subjectId, String stage, String action, Map<String, Object> payload)
      throws SQLException {
    if (!enabled) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO notification_pending (subject_id, stage, event_type, payload, created)"
                + " VALUES (?, ?, ?, ?, now())")) {
      ps.setString(1, subjectId);
      ps.setString(2, stage);
      ps.setString(3, action);
      ps.setString(4, json(payload));
      ps.executeUpdate();
    }
  }

  /**
   * Ends the pending notifications of a subject: those of {@code stage} ({@code null}: of any)
   * become {@code dbaas.<action>.end}, or {@code .error} with {@code message} when {@code message}
   * is not null, written by {@code publisherId} ({@code server_type} its first word). Returns how
   * many were ended.
   */
  public int complete(
      Connection c, String subjectId, String stage, String publisherId, String message)
      throws SQLException {
    if (!enabled) {
      return 0;
    }
    record Pending(long id, String action, Map<String, Object> payload) {}
    List<Pending> found = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, event_type, payload FROM notification_pending WHERE subject_id = ?"
                + (stage == null ? "" : " AND stage = ?")
                + " ORDER BY id FOR UPDATE")) {
      ps.setString(1, subjectId);
      if (stage != null) {
        ps.setString(2, stage);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(new Pending(rs.getLong(1), rs.getString(2), map(rs.getString(3))));
        }
      }
    }
    for (Pending p : found) {
      Map<String, Object> payload = new LinkedHashMap<>(p.payload());
      // the end comes from the daemon that finished the work, as in Trove
      payload.put("server_type", serverType(publisherId));
      if (message != null) {
        payload.put("message", message);
        payload.put("exception", List.of(message));
      }
      write(c, "dbaas." + p.action() + (message == null ? ".end" : ".error"), publisherId, payload);
      try (PreparedStatement ps =
          c.prepareStatement("DELETE FROM notification_pending WHERE id = ?")) {
        ps.setLong(1, p.id());
        ps.executeUpdate();
      }
    }
    return found.size();
  }

  /** The daemon of a publisher id ({@code taskmanager.host} → {@code taskmanager}). */
  static String serverType(String publisherId) {
    int dot = publisherId.indexOf('.');
    return dot < 0 ? publisherId : publisherId.substring(0, dot);
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> map(String s) {
    try {
      return JSON.readValue(s, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
