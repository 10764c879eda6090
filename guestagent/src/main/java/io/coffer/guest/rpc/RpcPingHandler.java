package io.coffer.guest.rpc;

import io.coffer.bus.MessageHandler;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.rpc.Method;
import io.coffer.model.rpc.NoArgs;
import io.coffer.model.rpc.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code rpc_ping}: the guest agent is alive and consuming its queue. */
@ApplicationScoped
class RpcPingHandler implements MessageHandler<NoArgs, Boolean> {

  @Override
  public Method<NoArgs, Boolean> method() {
    return GuestMethods.RPC_PING;
  }

  @Override
  public Boolean handle(RequestContext context, NoArgs args) {
    return Boolean.TRUE;
  }
}
