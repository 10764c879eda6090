package io.coffer.api.v1;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.auth.CallerHolder;
import io.coffer.api.service.GuestLogService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** Trove's guest log API, {@code /v1.0/{project}/instances/{id}/log}. */
@Path("/v1.0/{projectId}/instances/{id}/log")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class GuestLogsResource {

  private final GuestLogService logs;
  private final CallerHolder caller;

  GuestLogsResource(GuestLogService logs, CallerHolder caller) {
    this.logs = logs;
    this.caller = caller;
  }

  @GET
  public Map<String, Object> list(
      @PathParam("projectId") String projectId, @PathParam("id") String id) {
    return Map.of("logs", logs.list(caller.get(), projectId, id));
  }

  @POST
  public Map<String, Object> action(
      @PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode body) {
    return Map.of("log", logs.action(caller.get(), projectId, id, body));
  }
}
