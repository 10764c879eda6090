package io.coffer.taskmanager.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * The periodic {@code trove.instance.exists}: once each audit period ({@code
 * coffer.notifications.exists-interval}, aligned to the epoch) has ended, one event per instance
 * live at its end, with the period's beginning and ending. Instances are read a page at a time, and
 * each page's events are written with the audit's progress in one transaction, so a taskmanager
 * that stops half-way is taken over where it stopped and no instance is reported twice.
 */
@ApplicationScoped
public class ExistsAudit {

  private static final String PAGE =
      "INSERT INTO notification_outbox (created, event_type, priority, body)"
          + " SELECT now(), 'trove.instance.exists', 'INFO', json_build_object("
          + "  'message_id', gen_random_uuid()::text,"
          + "  'publisher_id', ?::text,"
          + "  'event_type', 'trove.instance.exists',"
          + "  'priority', 'INFO',"
          + "  'timestamp', to_char(clock_timestamp() AT TIME ZONE 'UTC',"
          + "      'YYYY-MM-DD HH24:MI:SS.US'),"
          + "  'payload', json_build_object("
          + "    'audit_period_beginning', to_char(?::timestamptz AT TIME ZONE 'UTC', "
          + UsageEvents.ISO
          + "),"
          + "    'audit_period_ending', to_char(?::timestamptz AT TIME ZONE 'UTC', "
          + UsageEvents.ISO
          + "),"
          + "    'created_at', to_char(i.created AT TIME ZONE 'UTC', "
          + UsageEvents.ISO
          + "),"
          + "    'launched_at', to_char(i.created AT TIME ZONE 'UTC', "
          + UsageEvents.ISO
          + "),"
          + "    'display_name', i.name, 'instance_id', i.id, 'instance_name', i.name,"
          + "    'instance_type_id', i.flavor_id, 'instance_type', f.name, 'instance_size', f.ram,"
          + "    'nova_instance_id', i.compute_instance_id,"
          + "    'region', coalesce(i.region_id, ?::text),"
          + "    'state_description', lower(coalesce(i.server_status, 'unknown')),"
          + "    'state', lower(coalesce(i.server_status, 'unknown')),"
          + "    'tenant_id', i.tenant_id, 'user_id', i.user_id,"
          + "    'volume_size', i.volume_size, 'datastore', d.name, 'datastore_version', v.name,"
          + "    'service_id', coalesce(?::jsonb ->> v.manager,"
          + "        '00000000-0000-0000-0000-000000000000')"
          + "  ))::text"
          + " FROM (SELECT * FROM instances WHERE id COLLATE \"C\" > ? AND created < ?"
          + "       AND (NOT deleted OR deleted_at >= ?) ORDER BY id COLLATE \"C\" LIMIT ?) i"
          + " LEFT JOIN flavors f ON f.id = i.flavor_id"
          + " LEFT JOIN datastore_versions v ON v.id = i.datastore_version_id"
          + " LEFT JOIN datastores d ON d.id = v.datastore_id"
          + " ORDER BY i.id COLLATE \"C\""
          + " RETURNING (body::json -> 'payload' ->> 'instance_id')";

  private final NotificationConfig config;
  private final DataSource db;
  private final Clock clock;
  private final NotificationRelay relay;
  private final ObjectMapper json = new ObjectMapper();

  ExistsAudit(NotificationConfig config, DataSource db, Clock clock, NotificationRelay relay) {
    this.config = config;
    this.db = db;
    this.clock = clock;
    this.relay = relay;
  }

  @Scheduled(
      every = "${coffer.notifications.exists-check:60s}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void check() {
    if (!config.enabled()) {
      return;
    }
    long seconds = Math.max(1, config.existsInterval().toSeconds());
    long now = clock.instant().getEpochSecond();
    Instant end = Instant.ofEpochSecond(now / seconds * seconds);
    Instant start = end.minusSeconds(seconds);
    try {
      audit(start, end);
    } catch (SQLException | RuntimeException e) {
      Log.warnf("the exists audit of %s–%s did not finish: %s", start, end, e.getMessage());
    }
  }

  /** Reports every instance live at {@code end}, page by page, unless it was done already. */
  void audit(Instant start, Instant end) throws SQLException {
    try (Connection c = db.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO notification_audits (period_start, period_end) VALUES (?, ?)"
                  + " ON CONFLICT DO NOTHING")) {
        ps.setTimestamp(1, Timestamp.from(start));
        ps.setTimestamp(2, Timestamp.from(end));
        ps.executeUpdate();
      }
      c.setAutoCommit(false);
      int reported = 0;
      while (true) {
        String last;
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT last_instance_id FROM notification_audits"
                    + " WHERE period_start = ? AND NOT finished FOR UPDATE SKIP LOCKED")) {
          ps.setTimestamp(1, Timestamp.from(start));
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              c.commit();
              break;
            }
            last = rs.getString(1);
          }
        }
        String newest = last;
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(PAGE)) {
          ps.setString(1, config.publisherId());
          ps.setTimestamp(2, Timestamp.from(start));
          ps.setTimestamp(3, Timestamp.from(end));
          ps.setString(4, config.region());
          ps.setString(5, json.writeValueAsString(config.serviceIds()));
          ps.setString(6, last);
          ps.setTimestamp(7, Timestamp.from(end));
          ps.setTimestamp(8, Timestamp.from(end));
          ps.setInt(9, config.existsPageSize());
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              n++;
              String id = rs.getString(1);
              if (id.compareTo(newest) > 0) {
                newest = id;
              }
            }
          }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new IllegalStateException(e);
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE notification_audits SET last_instance_id = ?, finished = ?"
                    + " WHERE period_start = ?")) {
          ps.setString(1, newest);
          ps.setBoolean(2, n < config.existsPageSize());
          ps.setTimestamp(3, Timestamp.from(start));
          ps.executeUpdate();
        }
        c.commit();
        reported += n;
        if (n < config.existsPageSize()) {
          break;
        }
      }
      if (reported > 0) {
        Log.infof("exists audit %s–%s: %d instance(s) reported", start, end, reported);
        relay.wake();
      }
    }
  }
}
