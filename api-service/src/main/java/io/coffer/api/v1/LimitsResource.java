package io.coffer.api.v1;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.auth.Caller;
import io.coffer.api.auth.CallerHolder;
import io.coffer.api.fault.CofferException;
import io.coffer.api.service.QuotaService;
import io.coffer.api.v1.model.Body;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Limits of a project, and quotas (mgmt). */
@Path("/v1.0/{projectId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class LimitsResource {

  private final QuotaService quotas;
  private final CallerHolder caller;

  LimitsResource(QuotaService quotas, CallerHolder caller) {
    this.quotas = quotas;
    this.caller = caller;
  }

  @GET
  @Path("limits")
  public Map<String, Object> limits(@PathParam("projectId") String projectId) {
    Map<String, int[]> usage = quotas.usage(projectId);
    Map<String, Object> absolute = new LinkedHashMap<>();
    absolute.put("verb", "ABSOLUTE");
    absolute.put("max_instances", usage.get("instances")[2]);
    absolute.put("max_ram", usage.get("ram")[2]);
    absolute.put("max_backups", usage.get("backups")[2]);
    absolute.put("max_volumes", usage.get("volumes")[2]);
    // Trove adds rate entries only when its rate-limit middleware runs; Coffer has none
    return Map.of("limits", List.of(absolute));
  }

  @GET
  @Path("mgmt/quotas/{project}")
  public Map<String, Object> show(
      @PathParam("projectId") String projectId, @PathParam("project") String project) {
    Caller c = caller.get();
    if (!c.admin() && !project.equals(c.projectId())) {
      throw CofferException.forbidden("Operation not allowed for tenant " + c.projectId() + ".");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    quotas
        .usage(project)
        .forEach(
            (resource, u) -> {
              Map<String, Object> q = new LinkedHashMap<>();
              q.put("resource", resource);
              q.put("in_use", u[0]);
              q.put("reserved", u[1]);
              q.put("limit", u[2]);
              out.add(q);
            });
    return Map.of("quotas", out);
  }

  @PUT
  @Path("mgmt/quotas/{project}")
  public Map<String, Object> update(@PathParam("project") String project, JsonNode json) {
    caller.requireAdmin();
    Body b = Body.root(json, "quotas");
    Map<String, Integer> limits = new LinkedHashMap<>();
    for (String key : b.keys()) {
      if (!QuotaService.RESOURCES.contains(key)) {
        throw CofferException.notFound("Quota resource " + key + " cannot be found.");
      }
      limits.put(key, b.requiredInt(key, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }
    return Map.of("quotas", quotas.setLimits(project, limits));
  }
}
