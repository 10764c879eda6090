package io.coffer.api.v1;

import io.coffer.api.fault.CofferException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Trove features Coffer does not offer: clusters and modules (no Trove 18 guest implements clusters
 * either).
 */
@Path("/v1.0/{projectId}")
@Produces(MediaType.APPLICATION_JSON)
class UnsupportedResource {

  private static CofferException clusters() {
    return CofferException.notImplemented("Clusters are not supported by Coffer.");
  }

  private static CofferException modules() {
    return CofferException.notImplemented("Modules are not supported by Coffer.");
  }

  @GET
  @Path("clusters")
  public Object listClusters() {
    throw clusters();
  }

  @POST
  @Path("clusters")
  public Object createCluster() {
    throw clusters();
  }

  @GET
  @Path("clusters/{any: .+}")
  public Object getCluster() {
    throw clusters();
  }

  @POST
  @Path("clusters/{any: .+}")
  public Object actOnCluster() {
    throw clusters();
  }

  @DELETE
  @Path("clusters/{any: .+}")
  public Object deleteCluster() {
    throw clusters();
  }

  @GET
  @Path("modules")
  public Object listModules() {
    throw modules();
  }

  @POST
  @Path("modules")
  public Object createModule() {
    throw modules();
  }

  @GET
  @Path("modules/{any: .+}")
  public Object getModule() {
    throw modules();
  }

  @PUT
  @Path("modules/{any: .+}")
  public Object updateModule() {
    throw modules();
  }

  @DELETE
  @Path("modules/{any: .+}")
  public Object deleteModule() {
    throw modules();
  }

  @GET
  @Path("instances/{id}/modules")
  public Object instanceModules() {
    throw modules();
  }

  @POST
  @Path("instances/{id}/modules")
  public Object applyModules() {
    throw modules();
  }

  @DELETE
  @Path("instances/{id}/modules/{module}")
  public Object removeModule() {
    throw modules();
  }
}
