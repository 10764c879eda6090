package io.coffer.api.v1;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriBuilder;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Trove's content negotiation: {@code Accept: application/vnd.openstack.trove+json} means JSON, and
 * a {@code .json} suffix on the path is tolerated.
 */
class ContentNegotiation {

  @ServerRequestFilter(preMatching = true)
  void negotiate(ContainerRequestContext request) {
    String accept = request.getHeaderString(HttpHeaders.ACCEPT);
    if (accept != null && accept.contains("vnd.openstack.trove+json")) {
      request.getHeaders().putSingle(HttpHeaders.ACCEPT, "application/json");
    }
    String path = request.getUriInfo().getRequestUri().getRawPath();
    if (path.endsWith(".json")) {
      request.setRequestUri(
          UriBuilder.fromUri(request.getUriInfo().getRequestUri())
              .replacePath(path.substring(0, path.length() - ".json".length()))
              .build());
    }
  }
}
