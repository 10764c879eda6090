package io.coffer.api.v1;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** API versions: {@code GET /} lists them, {@code GET /v1.0/} shows the one Coffer serves. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
class VersionsResource {

  private static final String UPDATED = "2012-08-01T00:00:00Z";

  @GET
  public Map<String, Object> versions(@Context HttpHeaders headers) {
    return Map.of("versions", List.of(version(headers)));
  }

  @GET
  @Path("v1.0")
  public Map<String, Object> current(@Context HttpHeaders headers) {
    return Map.of("version", version(headers));
  }

  private static Map<String, Object> version(HttpHeaders headers) {
    String host = headers.getHeaderString(HttpHeaders.HOST);
    return Map.of(
        "id",
        "v1.0",
        "status",
        "CURRENT",
        "updated",
        UPDATED,
        "links",
        List.of(Map.of("rel", "self", "href", "https://" + host + "/v1.0/")));
  }
}
