package io.coffer.api.v1;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.auth.CallerHolder;
import io.coffer.api.fault.CofferException;
import io.coffer.api.service.GuestAdmin;
import io.coffer.api.service.GuestUsers;
import io.coffer.api.service.RootService;
import io.coffer.api.service.UserRef;
import io.coffer.api.v1.model.Body;
import io.coffer.api.v1.model.NewDatabase;
import io.coffer.api.v1.model.NewUser;
import io.coffer.api.v1.view.Links;
import io.coffer.model.guest.DatabaseModel;
import io.coffer.model.guest.UserModel;
import io.coffer.model.secret.Secret;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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

/**
 * Databases, users, access and root of an instance. Trove 18 refuses the users and databases API
 * for PostgreSQL; Coffer serves it for every datastore.
 */
@Path("/v1.0/{projectId}/instances/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
class InstanceDataResource {

  private final GuestAdmin databases;
  private final GuestUsers users;
  private final RootService root;
  private final CallerHolder caller;

  InstanceDataResource(
      GuestAdmin databases, GuestUsers users, RootService root, CallerHolder caller) {
    this.databases = databases;
    this.users = users;
    this.root = root;
    this.caller = caller;
  }

  // --- databases

  @GET
  @Path("databases")
  public Map<String, Object> listDatabases(
      @PathParam("projectId") String projectId,
      @PathParam("id") String id,
      @QueryParam("limit") String limitParam,
      @QueryParam("marker") String marker,
      @Context HttpHeaders headers,
      @Context UriInfo uri) {
    Integer limit = Paging.limit(limitParam);
    GuestAdmin.NamePage<String> page =
        databases.databases(caller.get(), projectId, id, limit, marker);
    List<Map<String, Object>> items = new ArrayList<>();
    page.items().forEach(n -> items.add(Map.of("name", n)));
    return paged("databases", items, page.nextMarker(), projectId, id, limit, headers, uri);
  }

  private Map<String, Object> paged(
      String key,
      List<Map<String, Object>> items,
      String next,
      String projectId,
      String id,
      Integer limit,
      HttpHeaders headers,
      UriInfo uri) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(key, items);
    if (next != null) {
      body.put(
          "links",
          Links.of(headers, projectId)
              .next(
                  "instances/" + id + "/" + key,
                  Paging.nextQuery(uri, databases.pageSize(limit), next)));
    }
    return body;
  }

  @POST
  @Path("databases")
  public Response createDatabases(
      @PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode body) {
    databases.createDatabases(
        caller.get(), projectId, id, NewDatabase.list(Body.of(body, "body"), "databases"));
    return Response.accepted().build();
  }

  @GET
  @Path("databases/{name}")
  public Response showDatabase() {
    throw CofferException.notImplemented("Showing a single database is not implemented.");
  }

  @DELETE
  @Path("databases/{name}")
  public Response deleteDatabase(
      @PathParam("projectId") String projectId,
      @PathParam("id") String id,
      @PathParam("name") String name) {
    databases.deleteDatabase(caller.get(), projectId, id, name);
    return Response.accepted().build();
  }

  // --- users

  @GET
  @Path("users")
  public Map<String, Object> listUsers(
      @PathParam("projectId") String projectId,
      @PathParam("id") String id,
      @QueryParam("limit") String limitParam,
      @QueryParam("marker") String marker,
      @Context HttpHeaders headers,
      @Context UriInfo uri) {
    Integer limit = Paging.limit(limitParam);
    var page = users.list(caller.get(), projectId, id, limit, marker);
    List<Map<String, Object>> items = new ArrayList<>();
    page.items().forEach(u -> items.add(userView(u)));
    return paged("users", items, page.nextMarker(), projectId, id, limit, headers, uri);
  }

  private static Map<String, Object> userView(UserModel u) {
    List<Map<String, Object>> dbs = new ArrayList<>();
    for (DatabaseModel d : u.databasesOrEmpty()) {
      dbs.add(Map.of("name", d.name()));
    }
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", u.name());
    v.put("host", u.hostOrAny());
    v.put("databases", dbs);
    return v;
  }

  @POST
  @Path("users")
  public Response createUsers(
      @PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode body) {
    databases.createUsers(
        caller.get(), projectId, id, NewUser.list(Body.of(body, "body"), "users"));
    return Response.accepted().build();
  }

  @PUT
  @Path("users")
  public Response changePasswords(
      @PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode body) {
    users.changePasswords(caller.get(), projectId, id, body);
    return Response.accepted().build();
  }

  @GET
  @Path("users/{user}")
  public Map<String, Object> showUser(
      @PathParam("projectId") String projectId,
      @PathParam("id") String id,
      @PathParam("user") String user) {
    return Map.of("user", userView(users.show(caller.get(), projectId, id, UserRef.parse(user))));
  }

  @PUT
  @Path("users/{user}")
  public Response updateUser(
      @PathParam("projectId") String projectId,
      @PathParam("id") String id,
      @PathParam("user") String user,
      JsonNode body) {
    users.update(caller.get(), projectId, id, UserRef.parse(user), body);
    return Response.accepted().build();
  }

  @DELETE
  @Path("users/{user}")
  public Response deleteUser(
      @PathParam("projectId") String projectId,
      @PathParam("id") String id,
      @PathParam("user") String user) {
    databases.deleteUser(caller.get(), projectId, id, UserRef.parse(user));
    return Response.accepted().build();
  }

  @GET
  @Path("users/{user}/databases")
  public Map<String, Object> access(
      @PathParam("projectId") String projectId,
      @PathParam("id") String id,
      @PathParam("user") String user) {
    List<Map<String, Object>> dbs = new ArrayList<>();
    users
        .access(caller.get(), projectId, id, UserRef.parse(user))
        .forEach(d -> dbs.add(Map.of("name", d)));
    return Map.of("databases", dbs);
  }

  @PUT
  @Path("users/{user}/databases")
  public Response grant(
      @PathParam("projectId") String projectId,
      @PathParam("id") String id,
      @PathParam("user") String user,
      JsonNode body) {
    users.grant(caller.get(), projectId, id, UserRef.parse(user), body);
    return Response.accepted().build();
  }

  @DELETE
  @Path("users/{user}/databases/{database}")
  public Response revoke(
      @PathParam("projectId") String projectId,
      @PathParam("id") String id,
      @PathParam("user") String user,
      @PathParam("database") String database) {
    users.revoke(caller.get(), projectId, id, UserRef.parse(user), database);
    return Response.accepted().build();
  }

  // --- root

  @GET
  @Path("root")
  public Map<String, Object> rootEnabled(
      @PathParam("projectId") String projectId, @PathParam("id") String id) {
    return Map.of("rootEnabled", root.enabled(projectId, id));
  }

  @POST
  @Path("root")
  public Map<String, Object> enableRoot(
      @PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode body) {
    Secret password = null;
    if (body != null && body.isObject() && body.hasNonNull("password")) {
      password = new Secret(Body.of(body, "body").requiredString("password", 255));
    }
    UserModel u = root.enable(caller.get(), projectId, id, password);
    Map<String, Object> user = new LinkedHashMap<>();
    user.put("name", u == null ? "root" : u.name());
    user.put("password", u == null || u.password() == null ? null : u.password().value());
    return Map.of("user", user);
  }

  @DELETE
  @Path("root")
  public Response disableRoot(
      @PathParam("projectId") String projectId, @PathParam("id") String id) {
    root.disable(caller.get(), projectId, id);
    return Response.noContent().build();
  }
}
