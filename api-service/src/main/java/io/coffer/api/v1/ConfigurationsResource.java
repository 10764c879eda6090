package io.coffer.api.v1;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.auth.CallerHolder;
import io.coffer.api.notify.DbaasEvents;
import io.coffer.api.service.ConfigurationApplier;
import io.coffer.api.service.ConfigurationService;
import io.coffer.api.service.DatastoreService;
import io.coffer.api.service.Page;
import io.coffer.api.v1.model.Body;
import io.coffer.api.v1.view.ConfigurationViews;
import io.coffer.api.v1.view.Links;
import io.coffer.persistence.entity.ConfigurationEntity;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import io.coffer.persistence.entity.InstanceEntity;
import io.coffer.persistence.repository.ConfigurationRepository;
import jakarta.transaction.Transactional;
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

/** Configuration groups. */
@Path("/v1.0/{projectId}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class ConfigurationsResource {

  private final ConfigurationService configurations;
  private final ConfigurationApplier applier;
  private final ConfigurationRepository rows;
  private final DatastoreService datastores;
  private final CallerHolder caller;

  private final DbaasEvents events;

  ConfigurationsResource(
      ConfigurationService configurations,
      ConfigurationApplier applier,
      ConfigurationRepository rows,
      DatastoreService datastores,
      CallerHolder caller,
      DbaasEvents events) {
    this.events = events;
    this.configurations = configurations;
    this.applier = applier;
    this.rows = rows;
    this.datastores = datastores;
    this.caller = caller;
  }

  private String scope(String projectId) {
    return caller.get().admin() ? null : projectId;
  }

  @GET
  @Path("configurations")
  @Transactional
  public Map<String, Object> list(
      @PathParam("projectId") String projectId,
      @QueryParam("limit") Integer limit,
      @QueryParam("marker") String marker,
      @Context HttpHeaders headers,
      @Context UriInfo uri) {
    int size = limit == null || limit <= 0 ? 20 : Math.min(limit, 20);
    Page<ConfigurationEntity> page =
        Page.of(rows.page(scope(projectId), marker, size), size, c -> c.id);
    List<Map<String, Object>> items = new ArrayList<>();
    for (ConfigurationEntity c : page.items()) {
      DatastoreVersionEntity v = datastores.findVersion(c.datastoreVersionId).orElse(null);
      items.add(ConfigurationViews.summary(c, v, v == null ? null : datastores.datastoreOf(v)));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("configurations", items);
    if (page.nextMarker() != null) {
      body.put(
          "links",
          Links.of(headers, projectId)
              .next("configurations", Paging.nextQuery(uri, size, page.nextMarker())));
    }
    return body;
  }

  @POST
  @Path("configurations")
  public Map<String, Object> create(@PathParam("projectId") String projectId, JsonNode json) {
    Body b = Body.root(json, "configuration");
    String name = b.requiredString("name", 64);
    String description = b.optionalString("description", 256);
    if (!b.hasValue("values")) {
      throw io.coffer.api.fault.CofferException.validation(
          "configuration 'values' is a required property");
    }
    Body ds = b.optionalObject("datastore");
    Map<String, Object> traits = new java.util.LinkedHashMap<>();
    traits.put("name", name);
    traits.put("datastore", ds == null ? null : ds.optionalString("type", 255));
    traits.put("datastore_version", ds == null ? null : ds.optionalString("version", 255));
    events.start("configuration_create", traits);
    DatastoreVersionEntity v =
        datastores.resolveForCreate(
            ds == null ? null : ds.optionalString("type", 255),
            ds == null ? null : ds.optionalString("version", 255),
            null);
    ConfigurationEntity c =
        configurations.create(projectId, name, description, v, b.json().get("values"));
    events.endTrait("configuration_id", c.id);
    // Trove answers create with 200
    return show(projectId, c.id);
  }

  @GET
  @Path("configurations/{id}")
  @Transactional
  public Map<String, Object> show(
      @PathParam("projectId") String projectId, @PathParam("id") String id) {
    ConfigurationEntity c = configurations.group(scope(projectId), id);
    DatastoreVersionEntity v = datastores.findVersion(c.datastoreVersionId).orElse(null);
    return Map.of(
        "configuration",
        ConfigurationViews.detail(
            c,
            v,
            v == null ? null : datastores.datastoreOf(v),
            configurations.values(c),
            configurations.instanceCount(id)));
  }

  @GET
  @Path("configurations/{id}/instances")
  @Transactional
  public Map<String, Object> instances(
      @PathParam("projectId") String projectId, @PathParam("id") String id) {
    configurations.group(scope(projectId), id);
    List<Map<String, Object>> items = new ArrayList<>();
    for (InstanceEntity i : applier.instancesOf(id)) {
      items.add(Map.of("id", i.id, "name", i.name));
    }
    return Map.of("instances", items);
  }

  @PATCH
  @Path("configurations/{id}")
  public Response patch(
      @PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode json) {
    Body b = Body.root(json, "configuration");
    if (!b.hasValue("values")) {
      throw io.coffer.api.fault.CofferException.validation(
          "configuration 'values' is a required property");
    }
    // the body's shape first, as Trove's schema check comes before the lookup
    b.optionalObject("values");
    events.start("configuration_edit", Map.of("configuration_id", id));
    List<String> changed =
        configurations.update(scope(projectId), id, b.json().get("values"), true, null, null);
    applier.reapply(caller.get(), id, changed);
    // Trove answers PATCH with 200 and no body
    return Response.ok().build();
  }

  @PUT
  @Path("configurations/{id}")
  public Response replace(
      @PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode json) {
    Body b = Body.root(json, "configuration");
    b.optionalObject("values");
    Map<String, Object> traits = new java.util.LinkedHashMap<>();
    traits.put("configuration_id", id);
    traits.put("name", b.optionalString("name", 64));
    traits.put("description", b.optionalString("description", 256));
    events.start("configuration_update", traits);
    List<String> changed =
        configurations.update(
            scope(projectId),
            id,
            b.has("values") ? b.json().get("values") : null,
            false,
            b.optionalString("name", 64),
            b.optionalString("description", 256));
    applier.reapply(caller.get(), id, changed);
    return Response.accepted().build();
  }

  @DELETE
  @Path("configurations/{id}")
  public Response delete(@PathParam("projectId") String projectId, @PathParam("id") String id) {
    events.start("configuration_delete", Map.of("configuration_id", id));
    configurations.delete(scope(projectId), id);
    return Response.accepted().build();
  }
}
