package io.coffer.api.fault;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** Trove's fault names and HTTP codes: {@code {"<name>": {"code": n, "message": "…"}}}. */
public enum Fault {
  BAD_REQUEST(400, "badRequest"),
  UNAUTHORIZED(401, "unauthorized"),
  FORBIDDEN(403, "forbidden"),
  ITEM_NOT_FOUND(404, "itemNotFound"),
  BAD_METHOD(405, "badMethod"),
  NOT_ACCEPTABLE(406, "notAcceptable"),
  CONFLICT(409, "conflict"),
  OVER_LIMIT(413, "overLimit"),
  BAD_MEDIA_TYPE(415, "badMediaType"),
  UNPROCESSABLE_ENTITY(422, "unprocessableEntity"),
  INSTANCE_FAULT(500, "instanceFault"),
  NOT_IMPLEMENTED(501, "notImplemented"),
  SERVICE_UNAVAILABLE(503, "serviceUnavailable");

  private final int status;
  private final String wireName;

  Fault(int status, String wireName) {
    this.status = status;
    this.wireName = wireName;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The fault's key in the body. */
  public String wireName() {
    return wireName;
  }

  /** The fault body. */
  public Map<String, Object> body(String message) {
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("code", status);
    inner.put("message", message);
    return Map.of(wireName, inner);
  }

  /** The fault response. */
  public Response toResponse(String message) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body(message)).build();
  }

  /** The fault of an HTTP status, {@link #INSTANCE_FAULT} for unknown ones. */
  public static Fault of(int status) {
    for (Fault f : values()) {
      if (f.status == status) {
        return f;
      }
    }
    return status >= 500 ? INSTANCE_FAULT : BAD_REQUEST;
  }
}
