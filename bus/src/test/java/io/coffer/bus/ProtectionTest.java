package io.coffer.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coffer.model.conductor.ConductorMethods;
import io.coffer.model.conductor.HeartbeatArgs;
import io.coffer.model.conductor.HeartbeatPayload;
import io.coffer.model.conductor.NotifyExcInfoArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.guest.ListArgs;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.Envelope;
import io.coffer.model.rpc.MessageCodec;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.rpc.Sealing;
import io.coffer.model.secure.Aead;
import io.coffer.model.secure.MessageKeys;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

/** The protection rules, with keys known as the control plane and as a guest know them. */
class ProtectionTest {

  private static final String X = "11111111-1111-4111-8111-111111111111";
  private static final String Y = "22222222-2222-4222-8222-222222222222";
  private static final String PLAIN = "33333333-3333-4333-8333-333333333333";
  private final SecretKey keyX = Aead.newKey();
  private final SecretKey keyY = Aead.newKey();
  private final MessageCodec codec = new MessageCodec();
  private final Sealing sealing = new Sealing(codec);

  /** The control plane: every keyed instance's key; PLAIN has none. */
  private final Protection controlPlane =
      new Protection(
          id ->
              id.equals(X)
                  ? Optional.of(keyX)
                  : id.equals(Y) ? Optional.of(keyY) : Optional.empty(),
          Topics.CONDUCTOR);

  private Protection guest(String id, SecretKey key) {
    return new Protection(
        new MessageKeys() {
          @Override
          public Optional<SecretKey> keyOf(String instance) {
            return instance.equals(id) ? Optional.ofNullable(key) : Optional.empty();
          }

          @Override
          public Optional<String> ownInstance() {
            return Optional.of(id);
          }
        },
        Topics.CONDUCTOR);
  }

  private byte[] heartbeat(String namedInstance) {
    return codec.encode(
        codec.cast(
            ConductorMethods.HEARTBEAT,
            RequestContext.empty(),
            new HeartbeatArgs(namedInstance, new HeartbeatPayload("healthy"), 1.0)));
  }

  private static String outcome(Runnable r) {
    try {
      r.run();
    } catch (RefusedMessageException e) {
      return e.reason();
    }
    return "accepted";
  }

  @Test
  void theConductorAcceptsOnlyHeartbeatsSealedByTheInstanceTheyName() {
    // X's guest seals its own heartbeat: accepted, opened
    byte[] own = guest(X, keyX).outgoing(Topics.CONDUCTOR, heartbeat(X));
    ObjectNode opened = controlPlane.incoming(Topics.CONDUCTOR, own);
    assertThat(opened.path("args").path("instance_id").asText()).isEqualTo(X);
    assertThat(opened.path("args").path("payload").path("service_status").asText())
        .isEqualTo("healthy");

    // X's guest forges a heartbeat for Y: sealed with X's key, naming Y
    byte[] forged = guest(X, keyX).outgoing(Topics.CONDUCTOR, heartbeat(Y));
    assertThat(outcome(() -> controlPlane.incoming(Topics.CONDUCTOR, forged)))
        .isEqualTo("instance-mismatch");

    // X's key used while claiming to be Y
    byte[] pretending = sealing.sealMessage(heartbeat(Y), Y, keyX);
    assertThat(outcome(() -> controlPlane.incoming(Topics.CONDUCTOR, pretending)))
        .isEqualTo("forged");

    // plaintext for a keyed instance; plaintext for an instance without a key is fine
    assertThat(outcome(() -> controlPlane.incoming(Topics.CONDUCTOR, heartbeat(Y))))
        .isEqualTo("plaintext");
    assertThat(outcome(() -> controlPlane.incoming(Topics.CONDUCTOR, heartbeat(PLAIN))))
        .isEqualTo("accepted");

    // sealed for an instance the control plane has no key for
    byte[] unknown = sealing.sealMessage(heartbeat(PLAIN), PLAIN, keyX);
    assertThat(outcome(() -> controlPlane.incoming(Topics.CONDUCTOR, unknown)))
        .isEqualTo("unknown-key");
  }

  private byte[] failure(String namedInstance) {
    return codec.encode(
        codec.cast(
            ConductorMethods.NOTIFY_EXC_INFO,
            RequestContext.empty(),
            new NotifyExcInfoArgs(
                Map.of("instance_id", namedInstance), "prepare failed", "FATAL: no space")));
  }

  @Test
  void aGuestCannotReportAFailureOfAnotherInstance() {
    byte[] own = guest(X, keyX).outgoing(Topics.CONDUCTOR, failure(X));
    assertThat(outcome(() -> controlPlane.incoming(Topics.CONDUCTOR, own))).isEqualTo("accepted");
    byte[] forged = guest(X, keyX).outgoing(Topics.CONDUCTOR, failure(Y));
    assertThat(outcome(() -> controlPlane.incoming(Topics.CONDUCTOR, forged)))
        .isEqualTo("instance-mismatch");
    assertThat(outcome(() -> controlPlane.incoming(Topics.CONDUCTOR, failure(Y))))
        .isEqualTo("plaintext");
    assertThat(outcome(() -> controlPlane.incoming(Topics.CONDUCTOR, failure(PLAIN))))
        .isEqualTo("accepted");
  }

  @Test
  void aGuestAcceptsOnlyMessagesSealedForItselfAndItsRepliesAreSealed() {
    Envelope call =
        codec.call(
            GuestMethods.LIST_DATABASES,
            RequestContext.empty(),
            new ListArgs(20, null, false),
            "reply_q");
    byte[] body = codec.encode(call);
    Protection guestX = guest(X, keyX);

    byte[] toX = controlPlane.outgoing(Topics.guest(X), body);
    assertThat(outcome(() -> guestX.incoming(Topics.guest(X), toX))).isEqualTo("accepted");
    // plaintext, or sealed for Y and put on X's queue
    assertThat(outcome(() -> guestX.incoming(Topics.guest(X), body))).isEqualTo("plaintext");
    byte[] toY = controlPlane.outgoing(Topics.guest(Y), body);
    assertThat(outcome(() -> guestX.incoming(Topics.guest(X), toY))).isEqualTo("instance-mismatch");

    // the reply is sealed by X; the caller opens it only as a reply from X
    byte[] reply =
        guestX.outgoingReply(
            Topics.guest(X), codec.encodeReply(codec.success(call, Map.of("databases", "d"))));
    assertThat(controlPlane.incomingReply(Topics.guest(X), reply).path("result").toString())
        .contains("databases");
    assertThatThrownBy(() -> controlPlane.incomingReply(Topics.guest(Y), reply))
        .isInstanceOf(RefusedMessageException.class);
    byte[] plainReply = codec.encodeReply(codec.success(call, Map.of("databases", "d")));
    assertThat(outcome(() -> controlPlane.incomingReply(Topics.guest(X), plainReply)))
        .isEqualTo("plaintext");
    assertThat(outcome(() -> controlPlane.incomingReply(Topics.guest(PLAIN), plainReply)))
        .isEqualTo("accepted");
  }

  @Test
  void messagesOfInstancesWithoutAKeyStayPlaintext() {
    byte[] body = heartbeat(PLAIN);
    assertThat(guest(PLAIN, null).outgoing(Topics.CONDUCTOR, body)).isEqualTo(body);
    assertThat(controlPlane.outgoing(Topics.guest(PLAIN), body)).isEqualTo(body);
    // control-plane traffic (to the taskmanager) is never sealed, and accepted plaintext even
    // when it names a keyed instance
    assertThat(controlPlane.outgoing(Topics.TASKMANAGER, body)).isEqualTo(body);
    byte[] task = heartbeat(X);
    assertThat(outcome(() -> controlPlane.incoming(Topics.TASKMANAGER, task)))
        .isEqualTo("accepted");
  }

  /** A heartbeat as a Trove guest with key string {@code k} sends it (TROVE-SPEC 4.2). */
  private byte[] troveHeartbeat(String wrappedFor, String named, String k) throws Exception {
    var json = codec.mapper();
    ObjectNode inner = json.createObjectNode();
    inner.put("method", "heartbeat");
    inner.put("version", "1.0");
    inner.put("_unique_id", "f9e3fc10011142329637cc2943bbfdfa");
    ObjectNode args = inner.putObject("args");
    Map<String, Object> plain =
        Map.of("instance_id", named, "payload", Map.of("service_status", "running"), "sent", 5.5);
    for (var e : plain.entrySet()) {
      ObjectNode wrapped = json.createObjectNode();
      wrapped.put(
          "entity",
          io.coffer.model.secure.TroveCipher.encrypt(k, json.writeValueAsBytes(e.getValue())));
      wrapped.put("csz-instance-id", wrappedFor);
      args.put(e.getKey(), json.writeValueAsString(wrapped));
    }
    inner.put(
        "_context_context",
        io.coffer.model.secure.TroveCipher.encrypt(
            k,
            json.writeValueAsBytes(Map.of("request_id", "req-1", "roles", java.util.List.of()))));
    inner.put("_context_csz-instance-id", wrappedFor);
    return codec.body(inner);
  }

  @Test
  void trovesSchemeIsRefusedUnlessEnabledAndThenOpenedWithTheInstancesTroveKey() throws Exception {
    String k = "abcdefghijklmnopqrstuvwxyz012345";
    MessageKeys troveKeys =
        new MessageKeys() {
          @Override
          public Optional<SecretKey> keyOf(String instance) {
            return Optional.empty();
          }

          @Override
          public Optional<String> troveKeyOf(String instance) {
            return instance.equals(X) ? Optional.of(k) : Optional.empty();
          }
        };
    byte[] report = troveHeartbeat(X, X, k);
    // off (the default): refused
    Protection strict = new Protection(troveKeys, Topics.CONDUCTOR);
    assertThat(outcome(() -> strict.incoming(Topics.CONDUCTOR, report))).isEqualTo("trove-scheme");

    Protection compat = new Protection(troveKeys, Topics.CONDUCTOR, true);
    Envelope opened = codec.decode(compat.incoming(Topics.CONDUCTOR, report));
    assertThat(opened.args().path("instance_id").asText()).isEqualTo(X);
    assertThat(opened.args().path("payload").path("service_status").asText()).isEqualTo("running");
    assertThat(opened.args().path("sent").asDouble()).isEqualTo(5.5);
    assertThat(opened.context().requestId()).isEqualTo("req-1");

    // another key, an instance without a Trove key, an argument naming another instance
    assertThat(
            outcome(
                () ->
                    compat.incoming(
                        Topics.CONDUCTOR, troveHeartbeatUnchecked(X, X, k.toUpperCase()))))
        .isEqualTo("forged");
    assertThat(outcome(() -> compat.incoming(Topics.CONDUCTOR, troveHeartbeatUnchecked(Y, Y, k))))
        .isEqualTo("unknown-key");
    assertThat(outcome(() -> compat.incoming(Topics.CONDUCTOR, troveHeartbeatUnchecked(X, Y, k))))
        .isEqualTo("instance-mismatch");
  }

  private byte[] troveHeartbeatUnchecked(String wrappedFor, String named, String k) {
    try {
      return troveHeartbeat(wrappedFor, named, k);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
