package io.coffer.api.notify;

import io.coffer.api.auth.CallerHolder;
import io.coffer.model.notification.DbaasNotification;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.status.InstanceTask;
import io.coffer.persistence.notify.Notices;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Trove's API notifications, {@code dbaas.<action>.start|end|error}: a call starts its notification
 * where Trove does (after the request is read, before the work), and its answer ends it: an error
 * answer gives {@code error} with the fault's message; a success gives {@code end}, unless the call
 * handed its instance a task, in which case the taskmanager writes the end (or the error) when that
 * task ends. Payloads carry Trove's base traits (tenant, client and server address, server type,
 * request id) and the call's arguments, never a password.
 */
@ApplicationScoped
public class DbaasEvents {

  private final Notices notices;
  private final DbaasCall call;
  private final CallerHolder caller;
  private final CurrentVertxRequest request;
  private final EntityManager em;
  private final String publisherId;

  DbaasEvents(
      Notices notices,
      DbaasCall call,
      CallerHolder caller,
      CurrentVertxRequest request,
      EntityManager em,
      @ConfigProperty(name = "coffer.notifications.publisher-id", defaultValue = "api.coffer")
          String publisherId) {
    this.notices = notices;
    this.call = call;
    this.caller = caller;
    this.request = request;
    this.em = em;
    this.publisherId = publisherId;
  }

  /**
   * Starts {@code dbaas.<action>} for this call with its traits (in a transaction of its own: the
   * start is reported whatever becomes of the call).
   */
  public void start(String action, Map<String, Object> traits) {
    if (!notices.enabled()) {
      return;
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    var c = caller.get();
    HttpServerRequest http = request.getCurrent() == null ? null : request.getCurrent().request();
    payload.put("tenant_id", c.projectId());
    payload.put(
        "client_ip",
        http == null || http.remoteAddress() == null ? null : http.remoteAddress().hostAddress());
    payload.put("server_ip", http == null ? null : http.getHeader("Host"));
    payload.put("server_type", "api");
    payload.put("request_id", c.requestId());
    payload.putAll(traits);
    call.begin(action, payload);
    write("dbaas." + action + ".start", payload);
  }

  /**
   * The call gave the instance the task {@code task}: the taskmanager ends the notification when
   * that task ends. Runs in the transaction that sets the task.
   */
  public void handOff(String instanceId, InstanceTask task) {
    Map<String, Object> traits = new LinkedHashMap<>();
    traits.put("instance_id", instanceId);
    handOff(instanceId, task.name(), traits);
  }

  /**
   * The call handed {@code stage} of the work on {@code subjectId} to another daemon, which ends
   * the notification (with {@code endTraits} added) when that work ends. Runs in the transaction
   * that hands it over.
   */
  public void handOff(String subjectId, String stage, Map<String, Object> endTraits) {
    if (!notices.enabled() || !call.started() || call.handedOff()) {
      return;
    }
    Map<String, Object> payload = new LinkedHashMap<>(call.payload());
    payload.putAll(endTraits);
    em.unwrap(Session.class)
        .doWork(c -> notices.pending(c, subjectId, stage, call.action(), payload));
    call.handOff();
  }

  /** Adds a trait the end of this call's notification carries (a created object's id). */
  public void endTrait(String key, Object value) {
    if (call.started()) {
      call.payload().put(key, value);
    }
  }

  /**
   * The context of a cast that hands the work to a guest agent: it carries the notification ({@code
   * trove_notification}, as Trove's contexts do), which the guest ends through the conductor when
   * the work is done or has failed.
   */
  public RequestContext toGuest(RequestContext context) {
    if (!notices.enabled() || !call.started() || call.handedOff()) {
      return context;
    }
    Map<String, Object> payload = new LinkedHashMap<>(call.payload());
    payload.put("server_type", "guest");
    call.handOff();
    return context.with(
        DbaasNotification.CONTEXT_KEY, DbaasNotification.serialize(call.action(), payload));
  }

  /**
   * A task was cleared before it ended (an administrator's reset): its pending notification ends as
   * an error. Runs in the transaction that clears it.
   */
  public void abandoned(String instanceId, String reason) {
    if (!notices.enabled()) {
      return;
    }
    em.unwrap(Session.class)
        .doWork(c -> notices.complete(c, instanceId, null, publisherId, reason));
  }

  @ServerResponseFilter
  void answered(ContainerResponseContext response) {
    if (!notices.enabled() || !call.started() || call.ended()) {
      return;
    }
    call.end();
    int status = response.getStatus();
    try {
      if (status >= 400) {
        String message = messageOf(response.getEntity(), status);
        Map<String, Object> payload = new LinkedHashMap<>(call.payload());
        payload.put("message", message);
        payload.put("exception", List.of(message));
        write("dbaas." + call.action() + ".error", payload);
      } else if (!call.handedOff()) {
        write("dbaas." + call.action() + ".end", call.payload());
      }
    } catch (RuntimeException e) {
      Log.warnf("dbaas.%s notification not recorded: %s", call.action(), e.getMessage());
    }
  }

  /** The message of a Trove fault body ({@code {"badRequest": {"code", "message"}}}). */
  static String messageOf(Object entity, int status) {
    if (entity instanceof Map<?, ?> outer && outer.size() == 1) {
      Object inner = outer.values().iterator().next();
      if (inner instanceof Map<?, ?> fault && fault.get("message") != null) {
        return fault.get("message").toString();
      }
    }
    return "HTTP " + status;
  }

  private void write(String eventType, Map<String, Object> payload) {
    QuarkusTransaction.requiringNew()
        .run(
            () ->
                em.unwrap(Session.class)
                    .doWork(c -> notices.write(c, eventType, publisherId, payload)));
  }
}
