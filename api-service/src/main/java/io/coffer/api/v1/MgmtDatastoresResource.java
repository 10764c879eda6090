package io.coffer.api.v1;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.auth.CallerHolder;
import io.coffer.api.fault.CofferException;
import io.coffer.api.service.DatastoreAdmin;
import io.coffer.api.service.DatastoreService;
import io.coffer.api.service.FlavorService;
import io.coffer.api.v1.model.Body;
import io.coffer.api.v1.view.DatastoreViews;
import io.coffer.api.v1.view.Links;
import io.coffer.persistence.entity.DatastoreEntity;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import io.coffer.persistence.entity.ParameterRuleEntity;
import io.coffer.persistence.repository.DatastoreVersionRepository;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Admin management of datastore versions, their parameters, and flavors. */
@Path("/v1.0/{projectId}/mgmt")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class MgmtDatastoresResource {

  private final DatastoreAdmin admin;
  private final DatastoreService datastores;
  private final DatastoreVersionRepository versions;
  private final FlavorService flavors;
  private final CallerHolder caller;

  MgmtDatastoresResource(
      DatastoreAdmin admin,
      DatastoreService datastores,
      DatastoreVersionRepository versions,
      FlavorService flavors,
      CallerHolder caller) {
    this.admin = admin;
    this.datastores = datastores;
    this.versions = versions;
    this.flavors = flavors;
    this.caller = caller;
  }

  @GET
  @Path("datastore-versions")
  @Transactional
  public Map<String, Object> list() {
    caller.requireAdmin();
    List<Map<String, Object>> out = new ArrayList<>();
    for (DatastoreVersionEntity v : versions.list("order by name")) {
      out.add(DatastoreViews.mgmtVersion(v, datastores.datastoreOf(v)));
    }
    return Map.of("versions", out);
  }

  @POST
  @Path("datastore-versions")
  @Transactional
  public Response create(JsonNode json) {
    caller.requireAdmin();
    Body b = Body.root(json, "version");
    String name = b.requiredString("name", 255);
    String ds = b.requiredString("datastore_name", 255);
    if (!b.has("active")) {
      throw CofferException.validation("version 'active' is a required property");
    }
    String number = b.optionalString("version", 255);
    String numberOrName = number == null ? name : number;
    DatastoreEntity existing = datastores.find(ds).orElse(null);
    if (existing != null
        && versions.count(
                "datastoreId = ?1 and name = ?2 and version = ?3", existing.id, name, numberOrName)
            > 0) {
      throw CofferException.badRequest(
          "A datastore version " + name + " (" + numberOrName + ") already exists.");
    }
    DatastoreVersionEntity v =
        admin.versionUpdate(
            ds,
            name,
            b.requiredString("datastore_manager", 255),
            b.optionalString("image", 36),
            String.join(",", b.strings("image_tags", 50, 255)),
            String.join(",", b.strings("packages", 100, 255)),
            Boolean.TRUE.equals(b.optionalBoolean("active")),
            number);
    if (Boolean.TRUE.equals(b.optionalBoolean("default"))) {
      admin.datastoreUpdate(ds, v.id);
    }
    return Response.accepted().build();
  }

  @GET
  @Path("datastore-versions/{id}")
  @Transactional
  public Map<String, Object> show(@PathParam("id") String id) {
    caller.requireAdmin();
    DatastoreVersionEntity v = datastores.versionById(id);
    return Map.of("version", DatastoreViews.mgmtVersion(v, datastores.datastoreOf(v)));
  }

  @PATCH
  @Path("datastore-versions/{id}")
  @Transactional
  public Response patch(@PathParam("id") String id, JsonNode json) {
    caller.requireAdmin();
    // Trove's PATCH body is top-level, without a "version" wrapper
    Body b =
        Body.of(json, "body")
            .only(
                "name",
                "datastore_manager",
                "image",
                "image_tags",
                "packages",
                "active",
                "default");
    DatastoreVersionEntity v = datastores.versionById(id);
    if (b.hasValue("name")) {
      v.name = b.requiredString("name", 255);
    }
    if (b.hasValue("datastore_manager")) {
      v.manager = b.requiredString("datastore_manager", 255);
    }
    if (b.has("image")) {
      v.imageId = b.optionalString("image", 36);
    }
    if (b.has("image_tags")) {
      v.imageTags = String.join(",", b.strings("image_tags", 50, 255));
    }
    if (b.has("packages")) {
      v.packages = String.join(",", b.strings("packages", 100, 255));
    }
    if (b.hasValue("active")) {
      v.active = b.optionalBoolean("active");
    }
    if (Boolean.TRUE.equals(b.optionalBoolean("default"))) {
      datastores.datastoreOf(v).defaultVersionId = v.id;
    }
    return Response.accepted().build();
  }

  @DELETE
  @Path("datastore-versions/{id}")
  public Response delete(@PathParam("id") String id) {
    caller.requireAdmin();
    admin.deleteVersion(id);
    return Response.accepted().build();
  }

  @GET
  @Path("datastores/versions/{vid}/parameters")
  @Transactional
  public Map<String, Object> parameters(@PathParam("vid") String vid) {
    caller.requireAdmin();
    List<Map<String, Object>> out = new ArrayList<>();
    for (ParameterRuleEntity p : admin.parameters(datastores.versionById(vid))) {
      out.add(DatastoreViews.parameter(p, true));
    }
    return Map.of("configuration-parameters", out);
  }

  @POST
  @Path("datastores/versions/{vid}/parameters")
  public Map<String, Object> createParameter(@PathParam("vid") String vid, JsonNode json) {
    caller.requireAdmin();
    Body b = Body.root(json, "configuration-parameter");
    String name = b.requiredString("name", 128);
    if (datastores.findVersion(vid).isEmpty()) {
      throw CofferException.notFound("Datastore version '" + vid + "' cannot be found.");
    }
    ParameterRuleEntity p = put(vid, name, b);
    return DatastoreViews.parameter(p, true);
  }

  private ParameterRuleEntity put(String vid, String name, Body b) {
    return admin.putParameter(
        vid,
        name,
        b.requiredString("data_type", 128),
        Boolean.TRUE.equals(b.optionalBoolean("restart_required")),
        text(b.json().get("min_size")),
        text(b.json().get("max_size")));
  }

  private static String text(JsonNode v) {
    return v == null || v.isNull() ? null : v.asText();
  }

  @GET
  @Path("datastores/versions/{vid}/parameters/{name}")
  @Transactional
  public Map<String, Object> parameter(
      @PathParam("vid") String vid, @PathParam("name") String name) {
    caller.requireAdmin();
    return DatastoreViews.parameter(admin.parameter(datastores.versionById(vid), name), true);
  }

  @PUT
  @Path("datastores/versions/{vid}/parameters/{name}")
  public Map<String, Object> updateParameter(
      @PathParam("vid") String vid, @PathParam("name") String name, JsonNode json) {
    caller.requireAdmin();
    Body b = Body.root(json, "configuration-parameter");
    admin.parameter(datastores.versionById(vid), name);
    return DatastoreViews.parameter(put(vid, name, b), true);
  }

  @DELETE
  @Path("datastores/versions/{vid}/parameters/{name}")
  public Response deleteParameter(@PathParam("vid") String vid, @PathParam("name") String name) {
    caller.requireAdmin();
    admin.deleteParameter(vid, name);
    return Response.noContent().build();
  }

  @POST
  @Path("flavors")
  public Map<String, Object> createFlavor(
      @PathParam("projectId") String projectId, JsonNode json, @Context HttpHeaders headers) {
    caller.requireAdmin();
    Body b = Body.root(json, "flavor");
    String id = b.optionalRef("id");
    var f =
        flavors.create(
            id == null ? java.util.UUID.randomUUID().toString() : id,
            b.requiredString("name", 255),
            b.requiredInt("ram", 64, 4_194_304),
            b.requiredInt("vcpus", 1, 1024),
            b.optionalInt("disk", 0, 100_000) == null ? 0 : b.optionalInt("disk", 0, 100_000),
            b.optionalInt("ephemeral", 0, 100_000) == null
                ? 0
                : b.optionalInt("ephemeral", 0, 100_000));
    return Map.of("flavor", DatastoreViews.flavor(f, Links.of(headers, projectId)));
  }

  @DELETE
  @Path("flavors/{id}")
  public Response deleteFlavor(@PathParam("id") String id) {
    caller.requireAdmin();
    flavors.delete(id);
    return Response.accepted().build();
  }
}
