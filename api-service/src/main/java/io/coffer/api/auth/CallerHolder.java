package io.coffer.api.auth;

import io.coffer.api.fault.CofferException;
import jakarta.enterprise.context.RequestScoped;

/** Holds the caller the auth filter established for this request. */
@RequestScoped
public class CallerHolder {

  private Caller caller;

  void set(Caller caller) {
    this.caller = caller;
  }

  /** The caller; every {@code /v1.0/{project}} request has one. */
  public Caller get() {
    if (caller == null) {
      throw CofferException.unauthorized("Authentication required.");
    }
    return caller;
  }

  /** Fails unless the caller is an admin. */
  public Caller requireAdmin() {
    Caller c = get();
    if (!c.admin()) {
      // Trove answers 401 here; a denial of an authenticated caller is a 403
      throw CofferException.forbidden("User does not have admin privileges.");
    }
    return c;
  }
}
