package io.coffer.api.fault;

/** An error the API answers with a Trove fault body. */
public class CofferException extends RuntimeException {

  private final Fault fault;

  /** Creates the exception. */
  public CofferException(Fault fault, String message) {
    super(message);
    this.fault = fault;
  }

  /** Creates the exception with a cause (logged, never shown). */
  public CofferException(Fault fault, String message, Throwable cause) {
    super(message, cause);
    this.fault = fault;
  }

  /** The fault answered. */
  public Fault fault() {
    return fault;
  }

  /** 400 badRequest. */
  public static CofferException badRequest(String message) {
    return new CofferException(Fault.BAD_REQUEST, message);
  }

  /** 400 with Trove's schema-error prefix. */
  public static CofferException validation(String message) {
    return new CofferException(Fault.BAD_REQUEST, "Validation error: " + message);
  }

  /** 401 unauthorized. */
  public static CofferException unauthorized(String message) {
    return new CofferException(Fault.UNAUTHORIZED, message);
  }

  /** 403 forbidden. */
  public static CofferException forbidden(String message) {
    return new CofferException(Fault.FORBIDDEN, message);
  }

  /** 404 itemNotFound. */
  public static CofferException notFound(String message) {
    return new CofferException(Fault.ITEM_NOT_FOUND, message);
  }

  /** 404 with Trove's generic message. */
  public static CofferException resourceNotFound(String id) {
    return notFound("Resource " + id + " cannot be found.");
  }

  /** 409 conflict. */
  public static CofferException conflict(String message) {
    return new CofferException(Fault.CONFLICT, message);
  }

  /** 413 overLimit. */
  public static CofferException overLimit(String message) {
    return new CofferException(Fault.OVER_LIMIT, message);
  }

  /** 422 unprocessableEntity. */
  public static CofferException unprocessable(String message) {
    return new CofferException(Fault.UNPROCESSABLE_ENTITY, message);
  }

  /** 501 notImplemented. */
  public static CofferException notImplemented(String message) {
    return new CofferException(Fault.NOT_IMPLEMENTED, message);
  }

  /** 503 serviceUnavailable. */
  public static CofferException unavailable(String message) {
    return new CofferException(Fault.SERVICE_UNAVAILABLE, message);
  }
}
