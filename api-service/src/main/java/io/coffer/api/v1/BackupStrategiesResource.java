package io.coffer.api.v1;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.auth.Caller;
import io.coffer.api.auth.CallerHolder;
import io.coffer.api.fault.CofferException;
import io.coffer.api.service.BackupService;
import io.coffer.api.v1.model.Body;
import io.coffer.persistence.entity.BackupStrategyEntity;
import io.coffer.persistence.repository.BackupStrategyRepository;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Where a project's (or an instance's) backups are stored: Trove's backup strategies. */
@Path("/v1.0/{projectId}/backup_strategies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class BackupStrategiesResource {

  private final BackupStrategyRepository strategies;
  private final CallerHolder caller;
  private final Clock clock;

  BackupStrategiesResource(BackupStrategyRepository strategies, CallerHolder caller, Clock clock) {
    this.strategies = strategies;
    this.caller = caller;
    this.clock = clock;
  }

  private String project(String pathProject, String requested) {
    Caller c = caller.get();
    if (requested != null && !requested.equals(c.projectId()) && !c.admin()) {
      throw CofferException.forbidden(
          "User is not allowed to manage another project's backup strategies.");
    }
    return requested == null ? pathProject : requested;
  }

  private static Map<String, Object> view(BackupStrategyEntity s) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("project_id", s.tenantId);
    v.put("instance_id", s.instanceId);
    v.put("backend", s.backend);
    v.put("swift_container", s.swiftContainer);
    return v;
  }

  @POST
  @Transactional
  public Response create(@PathParam("projectId") String projectId, JsonNode json) {
    Body b = Body.root(json, "backup_strategy").only("swift_container", "instance_id");
    String container = b.requiredString("swift_container", 255);
    BackupService.checkContainer(container);
    String instanceId = b.optionalString("instance_id", 36);
    String project = project(projectId, null);
    String inst = instanceId == null ? "" : instanceId;
    BackupStrategyEntity s =
        strategies.find("tenantId = ?1 and instanceId = ?2", project, inst).firstResult();
    if (s == null) {
      s = new BackupStrategyEntity();
      s.id = UUID.randomUUID().toString();
      s.tenantId = project;
      s.instanceId = inst;
      s.created = clock.instant();
      s.backend = "swift";
      s.swiftContainer = container;
      strategies.persist(s);
    }
    s.backend = "swift";
    s.swiftContainer = container;
    return Response.accepted(Map.of("backup_strategy", view(s))).build();
  }

  @GET
  @Transactional
  public Map<String, Object> list(
      @PathParam("projectId") String projectId,
      @QueryParam("instance_id") String instanceId,
      @QueryParam("project_id") String otherProject) {
    String project = project(projectId, otherProject);
    List<BackupStrategyEntity> rows =
        instanceId == null
            ? strategies.list("tenantId", project)
            : strategies.list("tenantId = ?1 and instanceId = ?2", project, instanceId);
    List<Map<String, Object>> out = new ArrayList<>();
    rows.forEach(s -> out.add(view(s)));
    return Map.of("backup_strategies", out);
  }

  @DELETE
  @Transactional
  public Response delete(
      @PathParam("projectId") String projectId,
      @QueryParam("instance_id") String instanceId,
      @QueryParam("project_id") String otherProject) {
    String project = project(projectId, otherProject);
    strategies.delete(
        "tenantId = ?1 and instanceId = ?2", project, instanceId == null ? "" : instanceId);
    return Response.accepted().build();
  }
}
