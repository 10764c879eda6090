package io.coffer.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coffer.model.conductor.ConductorMethods;
import io.coffer.model.conductor.HeartbeatArgs;
import io.coffer.model.conductor.HeartbeatPayload;
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
}
