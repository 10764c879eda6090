package io.coffer.guest.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.bus.MessageHandler;
import io.coffer.guest.logs.GuestLogs;
import io.coffer.model.guest.GuestLogActionArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.NoArgs;
import io.coffer.model.rpc.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Trove's guest log calls: the list of logs and the actions on one. */
final class LogHandlers {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LogHandlers() {}

  @ApplicationScoped
  static class GuestLogList implements MessageHandler<NoArgs, JsonNode> {
    private final GuestLogs logs;

    GuestLogList(GuestLogs logs) {
      this.logs = logs;
    }

    @Override
    public Method<NoArgs, JsonNode> method() {
      return GuestMethods.GUEST_LOG_LIST;
    }

    @Override
    public JsonNode handle(RequestContext context, NoArgs args) {
      return JSON.valueToTree(logs.list(context));
    }
  }

  @ApplicationScoped
  static class GuestLogAction implements MessageHandler<GuestLogActionArgs, JsonNode> {
    private final GuestLogs logs;

    GuestLogAction(GuestLogs logs) {
      this.logs = logs;
    }

    @Override
    public Method<GuestLogActionArgs, JsonNode> method() {
      return GuestMethods.GUEST_LOG_ACTION;
    }

    @Override
    public JsonNode handle(RequestContext context, GuestLogActionArgs a) {
      return JSON.valueToTree(
          logs.action(
              context,
              a.logName(),
              Boolean.TRUE.equals(a.enable()),
              Boolean.TRUE.equals(a.disable()),
              Boolean.TRUE.equals(a.publish()),
              Boolean.TRUE.equals(a.discard())));
    }
  }
}
