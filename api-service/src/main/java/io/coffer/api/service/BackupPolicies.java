package io.coffer.api.service;

import io.coffer.api.fault.CofferException;
import io.coffer.api.v1.model.Body;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An instance's automated backup policy (a Coffer extension of Trove's API): a daily window start
 * (UTC, {@code HH:MM}) and how many days automated backups are kept. The taskmanager takes the
 * backups.
 */
@ApplicationScoped
public class BackupPolicies {

  private static final Pattern WINDOW = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");

  /** The longest retention, as managed databases offer. */
  public static final int MAX_RETENTION_DAYS = 35;

  private final InstanceLoader loader;
  private final EntityManager em;
  private final Clock clock;

  BackupPolicies(InstanceLoader loader, EntityManager em, Clock clock) {
    this.loader = loader;
    this.em = em;
    this.clock = clock;
  }

  /** An instance's policy, if it has one. */
  @Transactional
  public Optional<Map<String, Object>> get(String projectId, String id) {
    loader.one(projectId, id);
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT window_start, retention_days, last_started FROM backup_policies"
                    + " WHERE instance_id = ?1")
            .setParameter(1, id)
            .getResultList();
    return rows.stream().findFirst().map(r -> view(r[0], r[1], r[2]));
  }

  /** Sets (or replaces) an instance's policy; 400 for a bad window or retention. */
  @Transactional
  public Map<String, Object> set(String projectId, String id, Body body) {
    Body p = body.requiredObject("backup_policy").only("window", "retention_days");
    String window = p.requiredString("window", 5);
    if (!WINDOW.matcher(window).matches()) {
      throw CofferException.badRequest(
          "backup_policy 'window' must be the window's start as HH:MM (UTC), not '"
              + window
              + "'.");
    }
    int retention = p.requiredInt("retention_days", 1, MAX_RETENTION_DAYS);
    var instance = loader.one(projectId, id).instance();
    Instant now = clock.instant();
    em.createNativeQuery(
            "INSERT INTO backup_policies (instance_id, tenant_id, window_start, retention_days,"
                + " created, updated) VALUES (?1, ?2, ?3, ?4, ?5, ?5)"
                + " ON CONFLICT (instance_id) DO UPDATE SET window_start = EXCLUDED.window_start,"
                + " retention_days = EXCLUDED.retention_days, updated = EXCLUDED.updated")
        .setParameter(1, id)
        .setParameter(2, instance.tenantId)
        .setParameter(3, window)
        .setParameter(4, retention)
        .setParameter(5, now)
        .executeUpdate();
    return view(window, retention, null);
  }

  /** Removes an instance's policy; its automated backups stay (delete them as any backup). */
  @Transactional
  public void remove(String projectId, String id) {
    loader.one(projectId, id);
    int n =
        em.createNativeQuery("DELETE FROM backup_policies WHERE instance_id = ?1")
            .setParameter(1, id)
            .executeUpdate();
    if (n == 0) {
      throw CofferException.notFound("Instance " + id + " has no backup policy.");
    }
  }

  private static Map<String, Object> view(Object window, Object retention, Object last) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("window", window);
    v.put("retention_days", ((Number) retention).intValue());
    v.put("last_started", last == null ? null : last.toString());
    return v;
  }
}
