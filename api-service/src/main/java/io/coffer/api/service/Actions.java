package io.coffer.api.service;

import io.coffer.api.fault.CofferException;

/** Trove's errors for actions on instances. */
public final class Actions {

  private Actions() {}

  /** 422 from the "can perform action" gate. */
  public static CofferException notAvailable(String instanceId, String status) {
    return CofferException.unprocessable(
        "Instance "
            + instanceId
            + " is not currently available for an action to be performed (status was "
            + status
            + ").");
  }

  /** 400 for configuration changes outside ACTIVE with no task. */
  public static CofferException invalidState(String instanceId, String status) {
    return CofferException.badRequest(
        "The operation you have requested cannot be executed because the instance status is currently: "
            + status
            + ".");
  }
}
