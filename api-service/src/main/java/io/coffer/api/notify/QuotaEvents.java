package io.coffer.api.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.api.config.ApiConfig;
import io.coffer.persistence.notify.Notices;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Trove's periodic {@code dbaas.quota} notifications (its {@code quota_notification_interval}, off
 * by default): one per project and resource in use, with the usage, the reservations and the limit
 * (the project's own or the default), written to the outbox in one transaction.
 */
@ApplicationScoped
class QuotaEvents {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String USAGES =
      "SELECT u.tenant_id, u.resource, u.in_use, u.reserved,"
          + " coalesce(q.hard_limit, (?::jsonb ->> u.resource)::int),"
          + " to_char(u.updated AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
          + " FROM quota_usages u"
          + " LEFT JOIN quotas q ON q.tenant_id = u.tenant_id AND q.resource = u.resource"
          + " ORDER BY u.tenant_id, u.resource";

  private final Notices notices;
  private final DataSource db;
  private final ApiConfig config;
  private final String publisherId;

  QuotaEvents(
      Notices notices,
      DataSource db,
      ApiConfig config,
      @ConfigProperty(name = "coffer.notifications.publisher-id", defaultValue = "api.coffer")
          String publisherId) {
    this.notices = notices;
    this.db = db;
    this.config = config;
    this.publisherId = publisherId;
  }

  @Scheduled(
      every = "${coffer.notifications.quota-interval:off}",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void report() {
    if (!notices.enabled()) {
      return;
    }
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      int n = 0;
      try (PreparedStatement ps = c.prepareStatement(USAGES)) {
        ps.setString(1, defaults());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("resource", rs.getString(2));
            payload.put("in_use", rs.getInt(3));
            payload.put("reserved", rs.getInt(4));
            payload.put("limit", rs.getObject(5));
            payload.put("updated", rs.getString(6));
            payload.put("tenant_id", rs.getString(1));
            notices.write(c, "dbaas.quota", publisherId, payload);
            n++;
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
      Log.debugf("dbaas.quota: %d usages reported", n);
    } catch (SQLException | RuntimeException e) {
      Log.warnf("dbaas.quota notifications not written: %s", e.getMessage());
    }
  }

  private String defaults() {
    try {
      return JSON.writeValueAsString(
          Map.of(
              "instances", config.quotas().instances(),
              "ram", config.quotas().ram(),
              "backups", config.quotas().backups(),
              "volumes", config.quotas().volumes()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
