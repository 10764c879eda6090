package io.coffer.api.auth;

import io.coffer.api.config.ApiConfig;
import io.coffer.api.fault.Fault;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.secret.Secret;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Authenticates every {@code /v1.0/{project_id}/…} request by its {@code X-Auth-Token} and keeps
 * projects apart: the path's project must be the token's unless the caller is an admin (Trove's
 * TenantBasedAuth). Version discovery and the operator endpoints stay open.
 */
@ApplicationScoped
class AuthFilter {

  private static final String API_PREFIX = "/v1.0/";
  private static final String DASHBOARD_PREFIX = "/dashboard/api/";
  private static final String REQUEST_ID = "coffer.request-id";

  private final CallerHolder holder;
  private final ApiConfig config;
  private final TokenValidator validator;

  AuthFilter(CallerHolder holder, ApiConfig config, Clock clock) {
    this.holder = holder;
    this.config = config;
    this.validator =
        "keystone".equalsIgnoreCase(config.auth().strategy())
            ? new KeystoneTokens(config.auth().keystone(), clock)
            : new LocalTokens(config.auth().tokenFile());
    Log.infof("authentication strategy: %s", config.auth().strategy());
  }

  @ServerRequestFilter
  Optional<Response> authenticate(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath();
    if (path.startsWith(DASHBOARD_PREFIX)) {
      return operator(request);
    }
    if (!path.startsWith(API_PREFIX) || path.length() <= API_PREFIX.length()) {
      return Optional.empty();
    }
    String requestId = RequestContext.newRequestId();
    request.setProperty(REQUEST_ID, requestId);
    MDC.put("requestId", requestId);
    String token = request.getHeaderString("X-Auth-Token");
    if (token == null || token.isBlank()) {
      return Optional.of(Fault.UNAUTHORIZED.toResponse("Authentication required."));
    }
    Identity id;
    try {
      id = validator.validate(token).orElse(null);
    } catch (RuntimeException e) {
      Log.warnf("token validation failed: %s", e.getMessage());
      return Optional.of(
          Fault.SERVICE_UNAVAILABLE.toResponse("The identity service is unavailable."));
    }
    if (id == null) {
      return Optional.of(
          Fault.UNAUTHORIZED.toResponse("The request you have made requires authentication."));
    }
    boolean admin = id.roles().stream().anyMatch(r -> config.adminRoles().contains(r));
    String pathProject = firstSegment(path.substring(API_PREFIX.length()));
    if (!admin && !pathProject.equals(id.projectId())) {
      return Optional.of(
          Fault.FORBIDDEN.toResponse(
              "User with tenant id " + id.projectId() + " cannot access this resource."));
    }
    holder.set(
        new Caller(
            id.userId(),
            id.projectId(),
            id.roles(),
            admin,
            new Secret(token),
            requestId,
            id.objectStoreUrl()));
    MDC.put("projectId", pathProject);
    return Optional.empty();
  }

  /** The operators' dashboard data: an admin token, whatever its project. */
  private Optional<Response> operator(ContainerRequestContext request) {
    String token = request.getHeaderString("X-Auth-Token");
    if (token == null || token.isBlank()) {
      return Optional.of(Fault.UNAUTHORIZED.toResponse("Authentication required."));
    }
    Identity id;
    try {
      id = validator.validate(token).orElse(null);
    } catch (RuntimeException e) {
      Log.warnf("token validation failed: %s", e.getMessage());
      return Optional.of(
          Fault.SERVICE_UNAVAILABLE.toResponse("The identity service is unavailable."));
    }
    if (id == null) {
      return Optional.of(
          Fault.UNAUTHORIZED.toResponse("The request you have made requires authentication."));
    }
    if (id.roles().stream().noneMatch(r -> config.adminRoles().contains(r))) {
      return Optional.of(Fault.FORBIDDEN.toResponse("The dashboard is for administrators."));
    }
    String requestId = RequestContext.newRequestId();
    request.setProperty(REQUEST_ID, requestId);
    holder.set(
        new Caller(
            id.userId(), id.projectId(), id.roles(), true, new Secret(token), requestId, null));
    return Optional.empty();
  }

  @ServerResponseFilter
  void requestId(ContainerRequestContext request, ContainerResponseContext response) {
    Object id = request.getProperty(REQUEST_ID);
    if (id != null) {
      response.getHeaders().putSingle("x-openstack-request-id", id);
    }
    MDC.remove("requestId");
    MDC.remove("projectId");
  }

  private static String firstSegment(String rest) {
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }
}
