package io.coffer.api.v1;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.auth.CallerHolder;
import io.coffer.api.fault.CofferException;
import io.coffer.api.service.BackupPolicies;
import io.coffer.api.v1.model.Body;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * {@code /v1.0/{project}/instances/{id}/backup_policy}: the instance's automated backups (a Coffer
 * extension; Trove clients never call it).
 */
@Path("/v1.0/{projectId}/instances/{id}/backup_policy")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class BackupPolicyResource {

  private final BackupPolicies policies;
  private final CallerHolder caller;

  BackupPolicyResource(BackupPolicies policies, CallerHolder caller) {
    this.policies = policies;
    this.caller = caller;
  }

  @GET
  public Map<String, Object> show(
      @PathParam("projectId") String projectId, @PathParam("id") String id) {
    caller.get();
    return Map.of(
        "backup_policy",
        policies
            .get(projectId, id)
            .orElseThrow(
                () -> CofferException.notFound("Instance " + id + " has no backup policy.")));
  }

  @PUT
  public Map<String, Object> set(
      @PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode body) {
    caller.get();
    return Map.of("backup_policy", policies.set(projectId, id, Body.of(body, "body")));
  }

  @DELETE
  public Response remove(@PathParam("projectId") String projectId, @PathParam("id") String id) {
    caller.get();
    policies.remove(projectId, id);
    return Response.noContent().build();
  }
}
