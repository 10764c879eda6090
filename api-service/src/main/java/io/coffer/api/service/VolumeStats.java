package io.coffer.api.service;

import io.coffer.api.fault.CofferException;
import io.coffer.api.messaging.GuestApi;
import io.coffer.model.guest.FilesystemStats;
import io.coffer.model.guest.FilesystemStatsArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.rpc.RequestContext;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code volume.used} of the instance detail view: asked from the guest ({@code
 * get_filesystem_stats}) and remembered for a short while, so that showing an instance never waits
 * on a silent guest more than once per interval. Failures leave the field out, as in Trove.
 */
@ApplicationScoped
public class VolumeStats {

  private static final Duration KEEP = Duration.ofSeconds(30);

  private record Entry(Double used, long at) {}

  private final GuestApi guests;
  private final Map<String, Entry> cache = new ConcurrentHashMap<>();

  VolumeStats(GuestApi guests) {
    this.guests = guests;
  }

  private final java.util.Set<String> refreshing = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.ExecutorService background =
      java.util.concurrent.Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "coffer-volume-stats");
            t.setDaemon(true);
            return t;
          });

  /**
   * The last known used GB without waiting: a stale or missing value is refreshed in the background
   * for a later read (the dashboard lists every instance and cannot wait on guests).
   */
  public Double knownUsedGb(RequestContext context, InstanceSnapshot s) {
    String id = s.instance().id;
    Entry e = cache.get(id);
    boolean stale = e == null || System.nanoTime() - e.at() >= KEEP.toNanos();
    if (stale && refreshing.add(id)) {
      try {
        background.execute(
            () -> {
              try {
                usedGb(context, s);
              } finally {
                refreshing.remove(id);
              }
            });
      } catch (java.util.concurrent.RejectedExecutionException ex) {
        refreshing.remove(id);
      }
    }
    return e == null ? null : e.used();
  }

  /** Used GB of the instance's volume, or {@code null}. */
  public Double usedGb(RequestContext context, InstanceSnapshot s) {
    // a guest whose database is BLOCKED (its volume full) still answers, and its usage matters most
    boolean answers =
        s.effectiveService().isResponsive()
            || s.effectiveService() == io.coffer.model.status.ServiceStatus.BLOCKED;
    if (!"ACTIVE".equals(s.status()) || !answers) {
      return null;
    }
    String id = s.instance().id;
    Entry e = cache.get(id);
    long now = System.nanoTime();
    if (e != null && now - e.at() < KEEP.toNanos()) {
      return e.used();
    }
    Double used = null;
    try {
      FilesystemStats stats =
          guests.call(
              context, id, GuestMethods.GET_FILESYSTEM_STATS, new FilesystemStatsArgs(null));
      used = stats == null ? null : stats.used();
    } catch (CofferException ex) {
      Log.debugf("instance %s: volume usage unavailable: %s", id, ex.getMessage());
    }
    if (cache.size() > 10_000) {
      cache.clear();
    }
    cache.put(id, new Entry(used, now));
    return used;
  }
}
