package io.coffer.api.v1;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.auth.CallerHolder;
import io.coffer.api.service.InstanceActions;
import io.coffer.api.service.InstanceCreator;
import io.coffer.api.service.InstanceService;
import io.coffer.api.service.InstanceSnapshot;
import io.coffer.api.service.InstanceUpdater;
import io.coffer.api.service.Page;
import io.coffer.api.service.RestoreWindows;
import io.coffer.api.service.VolumeStats;
import io.coffer.api.v1.model.CreateInstanceRequest;
import io.coffer.api.v1.view.InstanceViews;
import io.coffer.api.v1.view.Links;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Trove's instances collection: list, detail, create, show, update, delete, actions. */
@Path("/v1.0/{projectId}/instances")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class InstancesResource {

  private final InstanceService instances;
  private final InstanceCreator creator;
  private final InstanceUpdater updater;
  private final InstanceActions actions;
  private final CallerHolder caller;
  private final VolumeStats volumes;
  private final RestoreWindows windows;

  @SuppressWarnings("checkstyle:ParameterNumber")
  InstancesResource(
      RestoreWindows windows,
      InstanceService instances,
      InstanceCreator creator,
      InstanceUpdater updater,
      InstanceActions actions,
      CallerHolder caller,
      VolumeStats volumes) {
    this.windows = windows;
    this.instances = instances;
    this.creator = creator;
    this.updater = updater;
    this.actions = actions;
    this.caller = caller;
    this.volumes = volumes;
  }

  @GET
  public Map<String, Object> list(
      @PathParam("projectId") String projectId,
      @QueryParam("limit") String limitParam,
      @QueryParam("marker") String marker,
      @Context HttpHeaders headers,
      @Context UriInfo uri) {
    Integer limit = Paging.limit(limitParam);
    return listing(projectId, limit, marker, headers, uri, false);
  }

  @GET
  @Path("detail")
  public Map<String, Object> detail(
      @PathParam("projectId") String projectId,
      @QueryParam("limit") String limitParam,
      @QueryParam("marker") String marker,
      @Context HttpHeaders headers,
      @Context UriInfo uri) {
    Integer limit = Paging.limit(limitParam);
    return listing(projectId, limit, marker, headers, uri, true);
  }

  private Map<String, Object> listing(
      String projectId,
      Integer limit,
      String marker,
      HttpHeaders headers,
      UriInfo uri,
      boolean detail) {
    boolean admin = caller.get().admin();
    Page<InstanceSnapshot> page = instances.list(projectId, limit, marker, detail);
    Links links = Links.of(headers, projectId);
    List<Map<String, Object>> items = new ArrayList<>();
    for (InstanceSnapshot s : page.items()) {
      items.add(
          detail
              ? InstanceViews.detail(s, links, admin, null)
              : InstanceViews.summary(s, links, admin));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("instances", items);
    if (page.nextMarker() != null) {
      body.put(
          "links",
          links.next(
              uri.getPath().endsWith("/detail") ? "instances/detail" : "instances",
              Paging.nextQuery(uri, instances.pageSize(limit), page.nextMarker())));
    }
    return body;
  }

  @POST
  public Map<String, Object> create(
      @PathParam("projectId") String projectId, JsonNode body, @Context HttpHeaders headers) {
    CreateInstanceRequest request = CreateInstanceRequest.parse(body);
    var created = creator.create(caller.get(), projectId, request);
    // Trove answers create with 200 and the instance in BUILD; troveclient expects it
    InstanceSnapshot s = instances.show(projectId, created.instance().id);
    Map<String, Object> view =
        InstanceViews.detail(s, Links.of(headers, projectId), caller.get().admin(), null);
    if (created.rootPassword() != null) {
      // root_on_create: the generated password, in this response only
      view.put("password", created.rootPassword().value());
    }
    return Map.of("instance", view);
  }

  @GET
  @Path("{id}")
  public Map<String, Object> show(
      @PathParam("projectId") String projectId,
      @PathParam("id") String id,
      @Context HttpHeaders headers) {
    InstanceSnapshot s = instances.show(projectId, id);
    Double used = volumes.usedGb(caller.get().context(), s);
    Map<String, Object> view =
        InstanceViews.detail(s, Links.of(headers, projectId), caller.get().admin(), used);
    // point-in-time recovery (Coffer): the times the owner can recover this instance to
    windows.of(projectId, id).ifPresent(w -> view.put("restorable", w.view()));
    return Map.of("instance", view);
  }

  @GET
  @Path("{id}/configuration")
  public Map<String, Object> configuration(
      @PathParam("projectId") String projectId, @PathParam("id") String id) {
    return Map.of(
        "instance", Map.of("configuration", instances.effectiveConfiguration(projectId, id)));
  }

  @PUT
  @Path("{id}")
  public Response update(
      @PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode body) {
    updater.update(caller.get(), projectId, id, body, false);
    return Response.accepted().build();
  }

  @PATCH
  @Path("{id}")
  public Response patch(
      @PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode body) {
    updater.update(caller.get(), projectId, id, body, true);
    return Response.accepted().build();
  }

  @DELETE
  @Path("{id}")
  public Response delete(@PathParam("projectId") String projectId, @PathParam("id") String id) {
    instances.delete(caller.get(), projectId, id);
    return Response.accepted().build();
  }

  @POST
  @Path("{id}/action")
  public Response action(
      @PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode body) {
    actions.perform(caller.get(), projectId, id, body);
    return Response.accepted().build();
  }
}
