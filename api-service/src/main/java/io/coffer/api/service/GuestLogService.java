package io.coffer.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.auth.Caller;
import io.coffer.api.fault.CofferException;
import io.coffer.api.v1.model.Body;
import io.coffer.model.guest.GuestLogActionArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.rpc.NoArgs;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Trove's guest log API: the list of an instance's logs and the actions on one (enable, disable,
 * publish, discard; none: show), answered by its guest agent.
 */
@ApplicationScoped
public class GuestLogService {

  private final GuestAdmin admin;

  GuestLogService(GuestAdmin admin) {
    this.admin = admin;
  }

  /** {@code GET instances/{id}/log}. */
  public JsonNode list(Caller caller, String projectId, String id) {
    admin.ready(projectId, id);
    return admin.guests().call(caller.context(), id, GuestMethods.GUEST_LOG_LIST, NoArgs.INSTANCE);
  }

  /** {@code POST instances/{id}/log}. */
  public JsonNode action(Caller caller, String projectId, String id, JsonNode body) {
    Body b = Body.of(body, "body").only("name", "enable", "disable", "publish", "discard");
    String name = b.requiredString("name", 64);
    boolean enable = flag(body, "enable");
    boolean disable = flag(body, "disable");
    if (enable && disable) {
      throw CofferException.badRequest("Cannot enable and disable log.");
    }
    admin.ready(projectId, id);
    return admin
        .guests()
        .call(
            caller.context(),
            id,
            GuestMethods.GUEST_LOG_ACTION,
            new GuestLogActionArgs(
                name, enable, disable, flag(body, "publish"), flag(body, "discard")));
  }

  /** A 0/1 (or boolean) flag of the body, as troveclient sends them. */
  private static boolean flag(JsonNode body, String key) {
    JsonNode v = body.get(key);
    if (v == null || v.isNull()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isInt()) {
      return v.asInt() != 0;
    }
    throw CofferException.badRequest("'" + key + "' must be 0 or 1.");
  }
}
