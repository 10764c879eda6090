package io.coffer.api.dashboard;

import io.coffer.api.config.ApiConfig;
import io.coffer.api.service.InstanceQueries;
import io.coffer.api.service.InstanceSnapshot;
import io.coffer.model.status.InstanceStatusRules;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Instance counts for Prometheus, recounted every {@code coffer.api.metrics-interval}: {@code
 * coffer_instances{status, datastore}} (the API status), {@code
 * coffer_instances_operating{operating_status, datastore}} and {@code coffer_instances_silent}
 * (guests whose heartbeat is older than the expiry).
 */
@ApplicationScoped
class InstanceMetrics {

  private static final int PAGE = 1000;

  private final InstanceQueries instances;
  private final ApiConfig config;
  private final MultiGauge byStatus;
  private final MultiGauge byOperatingStatus;
  private final AtomicLong silent = new AtomicLong();

  InstanceMetrics(InstanceQueries instances, ApiConfig config, MeterRegistry registry) {
    this.instances = instances;
    this.config = config;
    this.byStatus =
        MultiGauge.builder("coffer.instances")
            .description("Live instances by API status and datastore")
            .register(registry);
    this.byOperatingStatus =
        MultiGauge.builder("coffer.instances.operating")
            .description("Live instances by operating status and datastore")
            .register(registry);
    registry.gauge("coffer.instances.silent", silent);
  }

  @Scheduled(
      every = "${coffer.api.metrics-interval:15s}",
      delayed = "2s",
      concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
  void recount() {
    Map<List<String>, Long> status = new TreeMap<>(InstanceMetrics::compare);
    Map<List<String>, Long> operating = new TreeMap<>(InstanceMetrics::compare);
    long quiet = 0;
    try {
      String marker = null;
      while (true) {
        List<InstanceSnapshot> page = instances.page(null, marker, PAGE);
        for (InstanceSnapshot s : page) {
          String ds = s.datastore() == null ? "unknown" : s.datastore().name;
          status.merge(List.of(s.status(), ds), 1L, Long::sum);
          String op = s.operatingStatus();
          operating.merge(List.of(op == null || op.isEmpty() ? "NONE" : op, ds), 1L, Long::sum);
          Instant heartbeat = s.service() == null ? null : s.service().updatedAt;
          if (s.task() == io.coffer.model.status.InstanceTask.NONE
              && s.storedService() != io.coffer.model.status.ServiceStatus.RESTART_REQUIRED
              && InstanceStatusRules.isSilent(heartbeat, s.now(), config.heartbeatExpiry())) {
            quiet++;
          }
        }
        if (page.size() < PAGE) {
          break;
        }
        marker = page.get(page.size() - 1).instance().id;
      }
    } catch (RuntimeException e) {
      Log.debugf("instance metrics not recounted: %s", e.getMessage());
      return;
    }
    byStatus.register(rows(status, "status"), true);
    byOperatingStatus.register(rows(operating, "operating_status"), true);
    silent.set(quiet);
  }

  private static List<MultiGauge.Row<?>> rows(Map<List<String>, Long> counts, String tag) {
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    counts.forEach(
        (k, v) -> rows.add(MultiGauge.Row.of(Tags.of(tag, k.get(0), "datastore", k.get(1)), v)));
    return rows;
  }

  private static int compare(List<String> a, List<String> b) {
    int c = a.get(0).compareTo(b.get(0));
    return c != 0 ? c : a.get(1).compareTo(b.get(1));
  }
}
