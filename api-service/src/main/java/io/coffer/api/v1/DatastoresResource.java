package io.coffer.api.v1;

import io.coffer.api.auth.CallerHolder;
import io.coffer.api.fault.CofferException;
import io.coffer.api.service.DatastoreAdmin;
import io.coffer.api.service.DatastoreService;
import io.coffer.api.service.FlavorService;
import io.coffer.api.service.VolumeTypeService;
import io.coffer.api.v1.view.DatastoreViews;
import io.coffer.api.v1.view.Links;
import io.coffer.persistence.entity.DatastoreEntity;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import io.coffer.persistence.entity.FlavorEntity;
import io.coffer.persistence.entity.ParameterRuleEntity;
import io.coffer.persistence.entity.VolumeTypeEntity;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Datastores, their versions, flavors, volume types and configuration parameters. */
@Path("/v1.0/{projectId}")
@Produces(MediaType.APPLICATION_JSON)
class DatastoresResource {

  private final DatastoreService datastores;
  private final DatastoreAdmin admin;
  private final FlavorService flavors;
  private final VolumeTypeService volumeTypes;
  private final CallerHolder caller;

  DatastoresResource(
      DatastoreService datastores,
      DatastoreAdmin admin,
      FlavorService flavors,
      VolumeTypeService volumeTypes,
      CallerHolder caller) {
    this.datastores = datastores;
    this.admin = admin;
    this.flavors = flavors;
    this.volumeTypes = volumeTypes;
    this.caller = caller;
  }

  @GET
  @Path("datastores")
  @Transactional
  public Map<String, Object> list(
      @PathParam("projectId") String projectId, @Context HttpHeaders headers) {
    boolean isAdmin = caller.get().admin();
    Links links = Links.of(headers, projectId);
    List<Map<String, Object>> out = new ArrayList<>();
    for (DatastoreEntity ds : datastores.all()) {
      List<DatastoreVersionEntity> versions = datastores.versionsOf(ds, isAdmin);
      // users see only datastores they can create instances of
      if (!isAdmin && versions.isEmpty()) {
        continue;
      }
      out.add(DatastoreViews.datastore(ds, versions, links, isAdmin));
    }
    return Map.of("datastores", out);
  }

  @GET
  @Path("datastores/{ds}")
  @Transactional
  public Map<String, Object> show(
      @PathParam("projectId") String projectId,
      @PathParam("ds") String ds,
      @Context HttpHeaders headers) {
    DatastoreEntity d = datastores.datastore(ds);
    List<DatastoreVersionEntity> active = datastores.versionsOf(d, false);
    if (!caller.get().admin() && active.isEmpty()) {
      throw CofferException.notFound("Datastore '" + ds + "' cannot be found.");
    }
    return Map.of(
        "datastore",
        DatastoreViews.datastore(d, active, Links.of(headers, projectId), caller.get().admin()));
  }

  @DELETE
  @Path("datastores/{ds}")
  public Response delete(@PathParam("ds") String ds) {
    caller.requireAdmin();
    admin.deleteDatastore(ds);
    return Response.accepted().build();
  }

  @GET
  @Path("datastores/{ds}/versions")
  @Transactional
  public Map<String, Object> versions(
      @PathParam("projectId") String projectId,
      @PathParam("ds") String ds,
      @Context HttpHeaders headers) {
    boolean isAdmin = caller.get().admin();
    DatastoreEntity d = datastores.datastore(ds);
    Links links = Links.of(headers, projectId);
    List<Map<String, Object>> out = new ArrayList<>();
    for (DatastoreVersionEntity v : datastores.versionsOf(d, isAdmin)) {
      out.add(DatastoreViews.version(v, links, isAdmin, true));
    }
    return Map.of("versions", out);
  }

  @GET
  @Path("datastores/{ds}/versions/{version}")
  @Transactional
  public Map<String, Object> version(
      @PathParam("projectId") String projectId,
      @PathParam("ds") String ds,
      @PathParam("version") String version,
      @Context HttpHeaders headers) {
    DatastoreVersionEntity v = visible(datastores.version(datastores.datastore(ds), version));
    return Map.of(
        "version",
        DatastoreViews.version(v, Links.of(headers, projectId), caller.get().admin(), true));
  }

  @GET
  @Path("datastores/versions/{versionId}")
  @Transactional
  public Map<String, Object> versionById(
      @PathParam("projectId") String projectId,
      @PathParam("versionId") String versionId,
      @Context HttpHeaders headers) {
    DatastoreVersionEntity v = visible(datastores.versionById(versionId));
    return Map.of(
        "version",
        DatastoreViews.version(v, Links.of(headers, projectId), caller.get().admin(), true));
  }

  private DatastoreVersionEntity visible(DatastoreVersionEntity v) {
    if (!v.active && !caller.get().admin()) {
      throw CofferException.badRequest("Datastore version '" + v.name + "' cannot be found.");
    }
    return v;
  }

  @GET
  @Path("datastores/{ds}/versions/{version}/flavors")
  @Transactional
  public Map<String, Object> versionFlavors(
      @PathParam("projectId") String projectId,
      @PathParam("ds") String ds,
      @PathParam("version") String version,
      @Context HttpHeaders headers) {
    DatastoreVersionEntity v = datastores.version(datastores.datastore(ds), version);
    Set<String> allowed = admin.flavorWhitelist(v.id);
    Links links = Links.of(headers, projectId);
    List<Map<String, Object>> out = new ArrayList<>();
    for (FlavorEntity f : flavors.all()) {
      if (allowed.isEmpty() || allowed.contains(f.id)) {
        out.add(DatastoreViews.flavor(f, links));
      }
    }
    return Map.of("flavors", out);
  }

  @GET
  @Path("datastores/{ds}/versions/{version}/volume-types")
  @Transactional
  public Map<String, Object> volumeTypes(
      @PathParam("ds") String ds, @PathParam("version") String version) {
    DatastoreVersionEntity v = datastores.version(datastores.datastore(ds), version);
    return Map.of(
        "volume_types",
        volumeTypes.allowedFor(v.id).stream().map(DatastoresResource::volumeType).toList());
  }

  private static Map<String, Object> volumeType(VolumeTypeEntity t) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", t.id);
    v.put("name", t.name);
    v.put("is_public", t.isPublic);
    v.put("description", t.description);
    return v;
  }

  @GET
  @Path("datastores/{ds}/versions/{version}/parameters")
  @Transactional
  public Map<String, Object> parameters(
      @PathParam("ds") String ds, @PathParam("version") String version) {
    return parametersOf(datastores.version(datastores.datastore(ds), version));
  }

  @GET
  @Path("datastores/{ds}/versions/{version}/parameters/{name}")
  @Transactional
  public Map<String, Object> parameter(
      @PathParam("ds") String ds,
      @PathParam("version") String version,
      @PathParam("name") String name) {
    return DatastoreViews.parameter(
        admin.parameter(datastores.version(datastores.datastore(ds), version), name), false);
  }

  @GET
  @Path("datastores/versions/{versionId}/parameters")
  @Transactional
  public Map<String, Object> parametersById(@PathParam("versionId") String versionId) {
    return parametersOf(datastores.versionById(versionId));
  }

  @GET
  @Path("datastores/versions/{versionId}/parameters/{name}")
  @Transactional
  public Map<String, Object> parameterById(
      @PathParam("versionId") String versionId, @PathParam("name") String name) {
    return DatastoreViews.parameter(
        admin.parameter(datastores.versionById(versionId), name), false);
  }

  private Map<String, Object> parametersOf(DatastoreVersionEntity v) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ParameterRuleEntity p : admin.parameters(v)) {
      out.add(DatastoreViews.parameter(p, false));
    }
    return Map.of("configuration-parameters", out);
  }

  @GET
  @Path("flavors")
  @Transactional
  public Map<String, Object> flavors(
      @PathParam("projectId") String projectId, @Context HttpHeaders headers) {
    Links links = Links.of(headers, projectId);
    List<Map<String, Object>> out = new ArrayList<>();
    for (FlavorEntity f : flavors.all()) {
      out.add(DatastoreViews.flavor(f, links));
    }
    return Map.of("flavors", out);
  }

  @GET
  @Path("flavors/{id}")
  @Transactional
  public Map<String, Object> flavor(
      @PathParam("projectId") String projectId,
      @PathParam("id") String id,
      @Context HttpHeaders headers) {
    return Map.of("flavor", DatastoreViews.flavor(flavors.show(id), Links.of(headers, projectId)));
  }

  @GET
  @Path("volume-types")
  public Map<String, Object> allVolumeTypes() {
    return Map.of(
        "volume_types",
        volumeTypes.offered().stream().map(DatastoresResource::volumeType).toList());
  }

  @GET
  @Path("volume-types/{id}")
  public Map<String, Object> showVolumeType(@PathParam("id") String id) {
    return Map.of("volume_type", volumeType(volumeTypes.show(id)));
  }
}
