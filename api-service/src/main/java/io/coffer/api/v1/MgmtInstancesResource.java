package io.coffer.api.v1;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.auth.Caller;
import io.coffer.api.auth.CallerHolder;
import io.coffer.api.fault.CofferException;
import io.coffer.api.messaging.GuestApi;
import io.coffer.api.outbox.TaskOutbox;
import io.coffer.api.service.InstanceActions;
import io.coffer.api.service.InstanceLoader;
import io.coffer.api.service.InstanceSnapshot;
import io.coffer.api.service.RootService;
import io.coffer.api.v1.view.InstanceViews;
import io.coffer.api.v1.view.Links;
import io.coffer.api.v1.view.Times;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.rpc.NoArgs;
import io.coffer.model.status.InstanceTask;
import io.coffer.model.status.ServiceStatus;
import io.coffer.model.taskmanager.InstanceArgs;
import io.coffer.model.taskmanager.TaskManagerMethods;
import io.coffer.persistence.entity.InstanceEntity;
import io.coffer.persistence.entity.RootEnabledHistoryEntity;
import io.coffer.persistence.repository.InstanceRepository;
import io.coffer.persistence.repository.ServiceStatusRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The management (admin) view of instances across projects, and admin actions on them. */
@Path("/v1.0/{projectId}/mgmt/instances")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class MgmtInstancesResource {

  private final InstanceRepository instances;
  private final InstanceLoader loader;
  private final CallerHolder caller;
  private final MgmtSupport support;

  MgmtInstancesResource(
      InstanceRepository instances,
      InstanceLoader loader,
      CallerHolder caller,
      MgmtSupport support) {
    this.instances = instances;
    this.loader = loader;
    this.caller = caller;
    this.support = support;
  }

  /** Collaborators of the admin actions (a singleton: its fields are read directly). */
  @jakarta.inject.Singleton
  static class MgmtSupport {
    final GuestApi guests;
    final TaskOutbox tasks;
    final InstanceActions actions;
    final RootService root;
    final ServiceStatusRepository statuses;
    final Clock clock;

    MgmtSupport(
        GuestApi guests,
        TaskOutbox tasks,
        InstanceActions actions,
        RootService root,
        ServiceStatusRepository statuses,
        Clock clock) {
      this.guests = guests;
      this.tasks = tasks;
      this.actions = actions;
      this.root = root;
      this.statuses = statuses;
      this.clock = clock;
    }
  }

  @GET
  @Transactional
  public Map<String, Object> list(
      @PathParam("projectId") String projectId,
      @QueryParam("deleted") Boolean deleted,
      @QueryParam("project_id") String project,
      @Context HttpHeaders headers) {
    caller.requireAdmin();
    StringBuilder q = new StringBuilder("deleted = ?1");
    List<Object> params = new ArrayList<>(List.of(Boolean.TRUE.equals(deleted)));
    if (project != null) {
      params.add(project);
      q.append(" and tenantId = ?2");
    }
    q.append(" order by created desc");
    List<InstanceEntity> rows = instances.find(q.toString(), params.toArray()).page(0, 1000).list();
    Links links = Links.of(headers, projectId);
    List<Map<String, Object>> out = new ArrayList<>();
    for (InstanceSnapshot s : loader.load(rows, true)) {
      out.add(mgmtView(s, links));
    }
    return Map.of("instances", out);
  }

  private static Map<String, Object> mgmtView(InstanceSnapshot s, Links links) {
    InstanceEntity i = s.instance();
    Map<String, Object> v = InstanceViews.detail(s, links, true, null);
    Map<String, Object> server = null;
    if (i.computeInstanceId != null) {
      server = new LinkedHashMap<>();
      server.put("id", i.computeInstanceId);
      server.put("name", i.name);
      server.put("status", i.serverStatus);
      server.put("tenant_id", i.tenantId);
      server.put("addresses", InstanceViews.addresses(i));
    }
    v.put("server", server);
    v.put("service_status", s.effectiveService().apiStatus());
    v.put("deleted", i.deleted);
    v.put("deleted_at", Times.format(i.deletedAt));
    v.put("task_description", i.taskDescription);
    return v;
  }

  @GET
  @Path("{id}")
  @Transactional
  public Map<String, Object> show(
      @PathParam("projectId") String projectId,
      @PathParam("id") String id,
      @Context HttpHeaders headers) {
    caller.requireAdmin();
    InstanceEntity i =
        instances.findByIdOptional(id).orElseThrow(() -> CofferException.resourceNotFound(id));
    InstanceSnapshot s = loader.load(List.of(i), true).get(0);
    Map<String, Object> v = mgmtView(s, Links.of(headers, projectId));
    RootEnabledHistoryEntity h = support.root.historyOf(id);
    v.put("root_enabled", h == null ? null : Times.format(h.created));
    v.put("root_enabled_by", h == null ? null : h.user);
    v.put("guest_status", Map.of("state_description", s.effectiveService().description()));
    return Map.of("instance", v);
  }

  @GET
  @Path("{id}/root")
  @Transactional
  public Map<String, Object> root(@PathParam("id") String id) {
    caller.requireAdmin();
    instances.findByIdOptional(id).orElseThrow(() -> CofferException.resourceNotFound(id));
    RootEnabledHistoryEntity h = support.root.historyOf(id);
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", id);
    v.put("enabled", h == null ? "Never" : Times.format(h.created));
    v.put("user", h == null ? "Nobody" : h.user);
    return Map.of("root_history", v);
  }

  @GET
  @Path("{id}/rpc_ping")
  public Response ping(@PathParam("id") String id) {
    Caller c = caller.requireAdmin();
    support.guests.call(c.context(), id, GuestMethods.RPC_PING, NoArgs.INSTANCE);
    return Response.noContent().build();
  }

  @GET
  @Path("{id}/{what: diagnostics|hwinfo}")
  public Response diagnostics() {
    caller.requireAdmin();
    throw CofferException.notImplemented(
        "Guest diagnostics are not implemented by Coffer's guest agent.");
  }

  @POST
  @Path("{id}/action")
  public Response action(@PathParam("id") String id, JsonNode body) {
    Caller c = caller.requireAdmin();
    if (body == null || !body.isObject() || body.size() != 1) {
      throw CofferException.badRequest("The action body must name exactly one action.");
    }
    String key = body.fieldNames().next();
    if (key.equals("stop")) {
      // the guest is called outside any transaction
      QuarkusTransaction.requiringNew()
          .call(() -> instances.live(id).orElseThrow(() -> CofferException.resourceNotFound(id)));
      support.guests.call(c.context(), id, GuestMethods.STOP_DB, NoArgs.INSTANCE);
      return Response.accepted().build();
    }
    QuarkusTransaction.requiringNew().run(() -> taskAction(c, id, key));
    return Response.accepted().build();
  }

  private void taskAction(Caller c, String id, String key) {
    InstanceEntity i = instances.live(id).orElseThrow(() -> CofferException.resourceNotFound(id));
    Instant now = support.clock.instant();
    switch (key) {
      case "reboot" -> {
        i.setTask(InstanceTask.REBOOTING, now, now.plusSeconds(600));
        support
            .statuses
            .ofInstance(id)
            .ifPresent(st -> st.setStatus(ServiceStatus.RESTARTING, now));
        support.tasks.cast(TaskManagerMethods.REBOOT, c.context(), new InstanceArgs(id));
      }
      case "reset-task-status" -> support.actions.resetTask(i, now);
      case "migrate", "rebuild" ->
          throw CofferException.notImplemented(
              "The " + key + " action is not supported by Coffer's compute drivers.");
      default -> throw CofferException.badRequest("Invalid management action: " + key + ".");
    }
  }
}
