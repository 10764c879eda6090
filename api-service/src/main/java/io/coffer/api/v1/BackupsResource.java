package io.coffer.api.v1;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.auth.Caller;
import io.coffer.api.auth.CallerHolder;
import io.coffer.api.fault.CofferException;
import io.coffer.api.service.BackupService;
import io.coffer.api.service.DatastoreService;
import io.coffer.api.service.InstanceLoader;
import io.coffer.api.v1.model.Body;
import io.coffer.api.v1.view.BackupViews;
import io.coffer.api.v1.view.Links;
import io.coffer.persistence.entity.BackupEntity;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Backups of a project, and of one instance. */
@Path("/v1.0/{projectId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class BackupsResource {

  private final BackupService backups;
  private final DatastoreService datastores;
  private final InstanceLoader instances;
  private final CallerHolder caller;

  BackupsResource(
      BackupService backups,
      DatastoreService datastores,
      InstanceLoader instances,
      CallerHolder caller) {
    this.backups = backups;
    this.datastores = datastores;
    this.instances = instances;
    this.caller = caller;
  }

  @GET
  @Path("backups")
  @Transactional
  public Map<String, Object> list(
      @PathParam("projectId") String projectId,
      @QueryParam("datastore") String datastore,
      @QueryParam("instance_id") String instanceId,
      @QueryParam("project_id") String otherProject,
      @QueryParam("all_projects") String allProjects,
      @QueryParam("limit") String limitParam,
      @QueryParam("marker") String marker,
      @Context HttpHeaders headers,
      @Context UriInfo uri) {
    Integer limit = Paging.limit(limitParam);
    Caller c = caller.get();
    String scope = projectId;
    if ("true".equalsIgnoreCase(allProjects) || otherProject != null) {
      if (!c.admin()) {
        throw CofferException.forbidden(
            "Policy doesn't allow backup:index:all_projects to be performed.");
      }
      scope = otherProject;
    }
    String datastoreId = datastore == null ? null : datastores.datastore(datastore).id;
    return page(scope, instanceId, datastoreId, limit, marker, projectId, "backups", headers, uri);
  }

  @GET
  @Path("instances/{id}/backups")
  @Transactional
  public Map<String, Object> ofInstance(
      @PathParam("projectId") String projectId,
      @PathParam("id") String id,
      @QueryParam("limit") String limitParam,
      @QueryParam("marker") String marker,
      @Context HttpHeaders headers,
      @Context UriInfo uri) {
    Integer limit = Paging.limit(limitParam);
    instances.entity(projectId, id);
    return page(
        projectId,
        id,
        null,
        limit,
        marker,
        projectId,
        "instances/" + id + "/backups",
        headers,
        uri);
  }

  private Map<String, Object> page(
      String scope,
      String instanceId,
      String datastoreId,
      Integer limit,
      String marker,
      String projectId,
      String path,
      HttpHeaders headers,
      UriInfo uri) {
    int offset = 0;
    if (marker != null) {
      try {
        offset = Math.max(0, Integer.parseInt(marker));
      } catch (NumberFormatException e) {
        throw CofferException.badRequest(
            "The marker of a backup listing is an offset: " + marker + ".");
      }
    }
    // Trove does not cap the backup page size
    int size = limit == null || limit <= 0 ? 20 : Math.min(limit, 1000);
    List<BackupEntity> rows = backups.list(scope, instanceId, datastoreId, offset, size);
    List<Map<String, Object>> items = new ArrayList<>();
    for (BackupEntity b : rows) {
      items.add(view(b));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("backups", items);
    if (rows.size() == size) {
      body.put(
          "links",
          Links.of(headers, projectId)
              .next(path, Paging.nextQuery(uri, size, Integer.toString(offset + size))));
    }
    return body;
  }

  private Map<String, Object> view(BackupEntity b) {
    DatastoreVersionEntity v = datastores.findVersion(b.datastoreVersionId).orElse(null);
    return BackupViews.backup(b, v, v == null ? null : datastores.datastoreOf(v));
  }

  @POST
  @Path("backups")
  public Response create(@PathParam("projectId") String projectId, JsonNode body) {
    BackupEntity b = backups.create(caller.get(), projectId, Body.root(body, "backup"));
    return Response.accepted(Map.of("backup", view(b))).build();
  }

  @GET
  @Path("backups/{id}")
  @Transactional
  public Map<String, Object> show(
      @PathParam("projectId") String projectId, @PathParam("id") String id) {
    return Map.of("backup", view(backups.backup(caller.get().admin() ? null : projectId, id)));
  }

  @DELETE
  @Path("backups/{id}")
  public Response delete(@PathParam("projectId") String projectId, @PathParam("id") String id) {
    backups.delete(caller.get(), caller.get().admin() ? null : projectId, id);
    return Response.accepted().build();
  }
}
