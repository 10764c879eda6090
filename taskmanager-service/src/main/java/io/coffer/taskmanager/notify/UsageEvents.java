package io.coffer.taskmanager.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import org.hibernate.Session;

/**
 * Trove's usage events ({@code trove.instance.create}, {@code delete}, {@code modify_volume},
 * {@code modify_flavor}), written to the notification outbox in the transaction that records the
 * change they report, so that an event exists exactly when its change does; {@link
 * NotificationRelay} sends them. The payload has the fields of Trove 18's {@code send_usage_event}
 * and {@code TroveCommonTraits} (read from the instance's row, its flavor and datastore version),
 * plus the datastore and its version.
 */
@ApplicationScoped
public class UsageEvents {

  /** Trove's isotime, as its payloads carry times. */
  static final String ISO = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'";

  private static final String INSERT =
      "INSERT INTO notification_outbox (created, event_type, priority, body)"
          + " SELECT now(), ?, 'INFO', json_build_object("
          + "  'message_id', gen_random_uuid()::text,"
          + "  'publisher_id', ?::text,"
          + "  'event_type', ?::text,"
          + "  'priority', 'INFO',"
          + "  'timestamp', to_char(clock_timestamp() AT TIME ZONE 'UTC',"
          + "      'YYYY-MM-DD HH24:MI:SS.US'),"
          + "  'payload', jsonb_build_object("
          + "    'availability_zone', i.availability_zone,"
          + "    'created_at', to_char(i.created AT TIME ZONE 'UTC', "
          + ISO
          + "),"
          + "    'launched_at', to_char(i.created AT TIME ZONE 'UTC', "
          + ISO
          + "),"
          + "    'name', i.name, 'instance_id', i.id, 'instance_name', i.name,"
          + "    'instance_size', f.ram, 'instance_type', f.name, 'instance_type_id', i.flavor_id,"
          + "    'nova_instance_id', i.compute_instance_id,"
          + "    'region', coalesce(i.region_id, ?::text),"
          + "    'state_description', ?::text, 'state', ?::text,"
          + "    'tenant_id', i.tenant_id, 'user_id', i.user_id,"
          + "    'volume_size', i.volume_size, 'nova_volume_id', i.volume_id,"
          + "    'datastore', d.name, 'datastore_version', v.name,"
          + "    'service_id', coalesce(?::jsonb ->> v.manager,"
          + "        '00000000-0000-0000-0000-000000000000')"
          + "  ) || ?::jsonb"
          + " )::text"
          + " FROM instances i"
          + " LEFT JOIN flavors f ON f.id = i.flavor_id"
          + " LEFT JOIN datastore_versions v ON v.id = i.datastore_version_id"
          + " LEFT JOIN datastores d ON d.id = v.datastore_id"
          + " WHERE i.id = ?";

  private final NotificationConfig config;
  private final EntityManager em;
  private final NotificationRelay relay;
  private final ObjectMapper json = new ObjectMapper();

  UsageEvents(NotificationConfig config, EntityManager em, NotificationRelay relay) {
    this.config = config;
    this.em = em;
    this.relay = relay;
  }

  /**
   * {@code trove.instance.create}: the instance became ACTIVE (a JDBC transaction of the caller).
   */
  public void created(Connection c, String instanceId) throws SQLException {
    write(c, "create", instanceId, "active", Map.of());
  }

  /** {@code trove.instance.delete}, in the caller's JPA transaction. */
  public void deleted(String instanceId, String deletedAt) {
    inTransaction("delete", instanceId, "deleted", Map.of("deleted_at", deletedAt));
  }

  /** {@code trove.instance.modify_volume}, in the caller's JPA transaction. */
  public void volumeModified(String instanceId, int oldSize, String at) {
    inTransaction(
        "modify_volume",
        instanceId,
        "active",
        Map.of("old_volume_size", oldSize, "modify_at", at, "launched_at", at));
  }

  /** {@code trove.instance.modify_flavor}, in the caller's JPA transaction. */
  public void flavorModified(String instanceId, String oldFlavorId, String at) {
    if (!config.enabled()) {
      return;
    }
    Object oldRam =
        em.createNativeQuery("SELECT ram FROM flavors WHERE id = ?1")
            .setParameter(1, oldFlavorId)
            .getResultStream()
            .findFirst()
            .orElse(null);
    Map<String, Object> extra = new java.util.HashMap<>();
    extra.put("old_instance_size", oldRam);
    extra.put("modify_at", at);
    extra.put("launched_at", at);
    inTransaction("modify_flavor", instanceId, "active", extra);
  }

  /** A time as Trove's payloads write it ({@code 2026-12-07T18:10:00Z}). */
  public static String isoTime(java.time.Instant t) {
    return t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }

  private void inTransaction(
      String event, String instanceId, String state, Map<String, Object> extra) {
    if (!config.enabled()) {
      return;
    }
    // the change itself first: the event reads the instance's row in the same transaction
    em.flush();
    em.unwrap(Session.class).doWork(c -> write(c, event, instanceId, state, extra));
  }

  private void write(
      Connection c, String event, String instanceId, String state, Map<String, Object> extra)
      throws SQLException {
    if (!config.enabled()) {
      return;
    }
    String type = "trove.instance." + event;
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      ps.setString(1, type);
      ps.setString(2, config.publisherId());
      ps.setString(3, type);
      ps.setString(4, config.region());
      ps.setString(5, state);
      ps.setString(6, state);
      ps.setString(7, json.writeValueAsString(config.serviceIds()));
      ps.setString(8, json.writeValueAsString(extra));
      ps.setString(9, instanceId);
      ps.executeUpdate();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    relay.wake();
  }
}
