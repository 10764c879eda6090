package io.coffer.api.service;

import io.coffer.api.config.ApiConfig;
import io.coffer.api.fault.CofferException;
import io.coffer.persistence.entity.QuotaEntity;
import io.coffer.persistence.entity.QuotaUsageEntity;
import io.coffer.persistence.entity.ReservationEntity;
import io.coffer.persistence.repository.QuotaRepository;
import io.coffer.persistence.repository.QuotaUsageRepository;
import io.coffer.persistence.repository.ReservationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Quotas with reservations, as Trove keeps them ({@code quotas}, {@code quota_usages}, {@code
 * reservations}): a request reserves its deltas (checked against the limits under a row lock, so
 * concurrent requests of a project cannot overshoot), then commits them with its own work — or its
 * transaction rolls back and takes the reservation with it.
 */
@ApplicationScoped
public class QuotaService {

  /** The resources Coffer counts. */
  public static final List<String> RESOURCES = List.of("backups", "instances", "ram", "volumes");

  private final QuotaRepository quotas;
  private final QuotaUsageRepository usages;
  private final ReservationRepository reservations;
  private final ApiConfig config;
  private final Clock clock;

  QuotaService(
      QuotaRepository quotas,
      QuotaUsageRepository usages,
      ReservationRepository reservations,
      ApiConfig config,
      Clock clock) {
    this.quotas = quotas;
    this.usages = usages;
    this.reservations = reservations;
    this.config = config;
    this.clock = clock;
  }

  /** A project's limit on a resource (-1: unlimited). */
  public int limit(String projectId, String resource) {
    return quotas
        .find("tenantId = ?1 and resource = ?2", projectId, resource)
        .firstResultOptional()
        .map(q -> q.hardLimit)
        .orElseGet(() -> defaultLimit(resource));
  }

  private int defaultLimit(String resource) {
    return switch (resource) {
      case "instances" -> config.quotas().instances();
      case "ram" -> config.quotas().ram();
      case "backups" -> config.quotas().backups();
      case "volumes" -> config.quotas().volumes();
      default -> throw CofferException.notFound("Quota resource " + resource + " cannot be found.");
    };
  }

  /**
   * Reserves and immediately commits {@code deltas} in the caller's transaction; 413 {@code Quota
   * exceeded for resources: [...]} when a positive delta would pass its limit.
   */
  @Transactional(Transactional.TxType.MANDATORY)
  public void charge(String projectId, Map<String, Integer> deltas) {
    commit(reserve(projectId, deltas));
  }

  /** Reserves {@code deltas}; they count against the limits until committed or rolled back. */
  @Transactional(Transactional.TxType.MANDATORY)
  public List<ReservationEntity> reserve(String projectId, Map<String, Integer> deltas) {
    Instant now = clock.instant();
    // lock in a fixed order so two requests of one project cannot deadlock
    Map<String, Integer> ordered = new TreeMap<>(deltas);
    List<String> exceeded = new ArrayList<>();
    List<ReservationEntity> out = new ArrayList<>();
    for (Map.Entry<String, Integer> d : ordered.entrySet()) {
      if (d.getValue() == 0) {
        continue;
      }
      QuotaUsageEntity usage = lockedUsage(projectId, d.getKey(), now);
      int limit = limit(projectId, d.getKey());
      if (d.getValue() > 0 && limit >= 0 && usage.inUse + usage.reserved + d.getValue() > limit) {
        exceeded.add(d.getKey());
        continue;
      }
      usage.reserved += d.getValue();
      usage.updated = now;
      ReservationEntity r = new ReservationEntity();
      r.id = UUID.randomUUID().toString();
      r.created = now;
      r.updated = now;
      r.usageId = usage.id;
      r.delta = d.getValue();
      r.status = ReservationEntity.RESERVED;
      reservations.persist(r);
      out.add(r);
    }
    if (!exceeded.isEmpty()) {
      throw CofferException.overLimit(
          "Quota exceeded for resources: ['" + String.join("', '", exceeded) + "'].");
    }
    return out;
  }

  /** Moves reserved deltas into use (never below zero). */
  @Transactional(Transactional.TxType.MANDATORY)
  public void commit(List<ReservationEntity> reserved) {
    settle(reserved, ReservationEntity.COMMITTED);
  }

  /** Releases reserved deltas without using them. */
  @Transactional(Transactional.TxType.MANDATORY)
  public void rollback(List<ReservationEntity> reserved) {
    settle(reserved, ReservationEntity.ROLLED_BACK);
  }

  private void settle(List<ReservationEntity> reserved, String status) {
    Instant now = clock.instant();
    for (ReservationEntity r : reserved) {
      QuotaUsageEntity usage = usages.findById(r.usageId, LockModeType.PESSIMISTIC_WRITE);
      usage.reserved -= r.delta;
      if (ReservationEntity.COMMITTED.equals(status)) {
        usage.inUse = Math.max(0, usage.inUse + r.delta);
      }
      usage.updated = now;
      r.status = status;
      r.updated = now;
    }
  }

  private QuotaUsageEntity lockedUsage(String projectId, String resource, Instant now) {
    usages
        .getEntityManager()
        .createNativeQuery(
            "INSERT INTO quota_usages (id, created, updated, tenant_id, in_use, reserved, resource)"
                + " VALUES (?1, ?2, ?2, ?3, 0, 0, ?4) ON CONFLICT (tenant_id, resource) DO NOTHING")
        .setParameter(1, UUID.randomUUID().toString())
        .setParameter(2, now)
        .setParameter(3, projectId)
        .setParameter(4, resource)
        .executeUpdate();
    return usages
        .find("tenantId = ?1 and resource = ?2", projectId, resource)
        .withLock(LockModeType.PESSIMISTIC_WRITE)
        .firstResult();
  }

  /** Usage and limits of a project: {@code resource → [in_use, reserved, limit]}. */
  @Transactional
  public Map<String, int[]> usage(String projectId) {
    Map<String, int[]> out = new LinkedHashMap<>();
    for (String resource : RESOURCES) {
      QuotaUsageEntity u =
          usages.find("tenantId = ?1 and resource = ?2", projectId, resource).firstResult();
      out.put(
          resource,
          new int[] {
            u == null ? 0 : u.inUse, u == null ? 0 : u.reserved, limit(projectId, resource)
          });
    }
    return out;
  }

  /** Sets limits (admin); returns the limits set. */
  @Transactional
  public Map<String, Integer> setLimits(String projectId, Map<String, Integer> limits) {
    Instant now = clock.instant();
    for (Map.Entry<String, Integer> e : limits.entrySet()) {
      if (!RESOURCES.contains(e.getKey())) {
        throw CofferException.notFound("Quota resource " + e.getKey() + " cannot be found.");
      }
      if (e.getValue() < -1) {
        throw CofferException.badRequest(
            "Quota limit " + e.getValue() + " for " + e.getKey() + " must be -1 or greater.");
      }
      QuotaEntity q =
          quotas.find("tenantId = ?1 and resource = ?2", projectId, e.getKey()).firstResult();
      if (q == null) {
        q = new QuotaEntity();
        q.id = UUID.randomUUID().toString();
        q.created = now;
        q.tenantId = projectId;
        q.resource = e.getKey();
        q.hardLimit = e.getValue();
        q.updated = now;
        quotas.persist(q);
      }
      q.hardLimit = e.getValue();
      q.updated = now;
    }
    return limits;
  }
}
