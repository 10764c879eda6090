package io.coffer.api.fault;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.logging.Log;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Renders every error as Trove's fault body. An unexpected failure answers {@code instanceFault}
 * with a reference id only; the stack trace goes to the log.
 */
class FaultMappers {

  static final String MALFORMED =
      "The server could not comply with the request since it is either malformed or otherwise"
          + " incorrect.";

  @ServerExceptionMapper
  Response coffer(CofferException e) {
    if (e.fault().status() >= 500) {
      Log.warnf("answered %d: %s", e.fault().status(), e.getMessage());
    }
    return e.fault().toResponse(e.getMessage());
  }

  @ServerExceptionMapper
  Response unreadable(JsonProcessingException e) {
    return Fault.BAD_REQUEST.toResponse(MALFORMED);
  }

  @ServerExceptionMapper
  Response notFound(NotFoundException e) {
    return Fault.ITEM_NOT_FOUND.toResponse("The resource could not be found.");
  }

  @ServerExceptionMapper
  Response notAllowed(NotAllowedException e) {
    return Fault.BAD_METHOD.toResponse("The method is not allowed for this resource.");
  }

  @ServerExceptionMapper
  Response unsupported(NotSupportedException e) {
    return Fault.BAD_MEDIA_TYPE.toResponse(
        "The request body must be JSON (Content-Type: application/json).");
  }

  @ServerExceptionMapper
  Response notAcceptable(NotAcceptableException e) {
    return Fault.NOT_ACCEPTABLE.toResponse("Only application/json responses are available.");
  }

  @ServerExceptionMapper
  Response web(WebApplicationException e) {
    int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
    if (status == 400) {
      // the JSON provider reports an unparsable body this way
      return Fault.BAD_REQUEST.toResponse(MALFORMED);
    }
    if (status >= 500) {
      return unexpected(e);
    }
    return Fault.of(status).toResponse(e.getMessage());
  }

  @ServerExceptionMapper
  Response unexpected(Exception e) {
    String ref = UUID.randomUUID().toString();
    Log.errorf(e, "unhandled error, reference %s", ref);
    return Fault.INSTANCE_FAULT.toResponse(
        "Internal Server Error. Please keep this ID to help us figure out what went wrong: ("
            + ref
            + ").");
  }
}
