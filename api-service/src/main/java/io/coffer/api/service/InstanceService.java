package io.coffer.api.service;

import io.coffer.api.auth.Caller;
import io.coffer.api.fault.CofferException;
import io.coffer.api.notify.DbaasEvents;
import io.coffer.api.outbox.TaskOutbox;
import io.coffer.model.config.DatastoreDefaults;
import io.coffer.model.status.InstanceTask;
import io.coffer.model.taskmanager.InstanceArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import io.coffer.persistence.entity.FlavorEntity;
import io.coffer.persistence.entity.InstanceEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Listing, showing and deleting instances. */
@ApplicationScoped
public class InstanceService {

  private final InstanceQueries queries;
  private final InstanceLoader loader;
  private final QuotaService quotas;
  private final TaskOutbox tasks;
  private final Resolver resolve;

  private final DbaasEvents events;

  InstanceService(
      InstanceQueries queries,
      InstanceLoader loader,
      QuotaService quotas,
      TaskOutbox tasks,
      Resolver resolve,
      DbaasEvents events) {
    this.events = events;
    this.queries = queries;
    this.loader = loader;
    this.quotas = quotas;
    this.tasks = tasks;
    this.resolve = resolve;
  }

  /**
   * One page of a project's instances ({@code null}: every project), paged by id as Trove does; the
   * page itself is shown newest first (a Trove quirk kept for compatibility).
   */
  public Page<InstanceSnapshot> list(
      String projectId, Integer limit, String marker, boolean detail) {
    int size = pageSize(limit);
    Page<InstanceSnapshot> page =
        Page.of(queries.page(projectId, marker, size + 1), size, s -> s.instance().id);
    List<InstanceSnapshot> items = new ArrayList<>(page.items());
    items.sort(Comparator.comparing((InstanceSnapshot s) -> s.instance().created).reversed());
    return new Page<>(items, page.nextMarker());
  }

  /** The page size for a {@code limit} parameter: Trove caps it at the configured size. */
  public int pageSize(Integer limit) {
    int max = resolve.config().pageSize();
    return limit == null || limit <= 0 ? max : Math.min(limit, max);
  }

  /** One instance with everything its detail view needs. */
  public InstanceSnapshot show(String projectId, String id) {
    return queries.one(projectId, id);
  }

  /**
   * The configuration an instance runs with: the template's defaults for its flavor, overridden by
   * its configuration group's values.
   */
  @Transactional
  public Map<String, Object> effectiveConfiguration(String projectId, String id) {
    InstanceSnapshot s = loader.one(projectId, id);
    FlavorEntity flavor = resolve.flavors().find(s.instance().flavorId).orElse(null);
    Map<String, Object> values =
        new java.util.TreeMap<>(
            DatastoreDefaults.forMemory(
                s.version() == null ? null : s.version().manager,
                flavor == null ? 512 : flavor.ram));
    if (s.configuration() != null) {
      values.putAll(resolve.configurations().values(s.configuration()));
    }
    return values;
  }

  /**
   * Deletes an instance: 422 while it builds (reset its status first to force it), 403 while it has
   * replicas. The quota is released now; the taskmanager removes the server.
   */
  @Transactional
  public void delete(Caller caller, String projectId, String id) {
    InstanceSnapshot s = loader.one(projectId, id);
    InstanceEntity i = s.instance();
    InstanceTask task = i.task();
    events.start("instance_delete", Map.of("instance_id", id));
    // unlike Trove (422 while BUILD), an instance being built can be deleted: the taskmanager
    // waits for the create to finish making the server, then removes it
    if (i.clusterId != null) {
      throw CofferException.notImplemented("Instances of a cluster are deleted with the cluster.");
    }
    if (!s.replicaIds().isEmpty()) {
      throw CofferException.forbidden("Detach replicas before deleting replica source.");
    }
    if (task == InstanceTask.DELETING) {
      // deleting again re-sends the task, e.g. after the taskmanager was down
      events.handOff(id, InstanceTask.DELETING);
      tasks.cast(TaskManagerMethods.DELETE_INSTANCE, caller.context(), new InstanceArgs(id));
      return;
    }
    Map<String, Integer> deltas = new HashMap<>();
    deltas.put("instances", -1);
    deltas.put("volumes", -(i.volumeSize == null ? 0 : i.volumeSize));
    FlavorEntity flavor = resolve.flavors().find(i.flavorId).orElse(null);
    deltas.put("ram", flavor == null ? 0 : -flavor.ram);
    quotas.charge(projectId, deltas);
    Instant now = resolve.clock().instant();
    i.setTask(InstanceTask.DELETING, now, now.plus(resolve.config().taskTimeout()));
    i.configurationId = null;
    events.handOff(id, InstanceTask.DELETING);
    tasks.cast(TaskManagerMethods.DELETE_INSTANCE, caller.context(), new InstanceArgs(id));
  }
}
