package io.coffer.model.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coffer.model.conductor.ConductorMethods;
import io.coffer.model.conductor.HeartbeatArgs;
import io.coffer.model.conductor.HeartbeatPayload;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.guest.ListArgs;
import io.coffer.model.secure.Aead;
import io.coffer.model.secure.KeyWrap;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

class SealingTest {

  private static final String X = "11111111-1111-4111-8111-111111111111";
  private static final String Y = "22222222-2222-4222-8222-222222222222";
  private final MessageCodec codec = new MessageCodec();
  private final Sealing sealing = new Sealing(codec);
  private final SecretKey keyX = Aead.newKey();
  private final SecretKey keyY = Aead.newKey();

  private byte[] heartbeat(String instance) {
    RequestContext context =
        RequestContext.of(Map.of("auth_token", "tok-secret", "roles", java.util.List.of()));
    return codec.encode(
        codec.cast(
            ConductorMethods.HEARTBEAT,
            context,
            new HeartbeatArgs(instance, new HeartbeatPayload("healthy"), 1700000000.5)));
  }

  @Test
  void aSealedMessageHidesArgumentsAndContextAndOpensWithItsKey() {
    byte[] sealed = sealing.sealMessage(heartbeat(X), X, keyX);
    String wire = new String(sealed, StandardCharsets.UTF_8);
    assertThat(wire)
        .doesNotContain("healthy")
        .doesNotContain("tok-secret")
        .doesNotContain("_context_");
    assertThat(wire).contains("heartbeat").contains(Sealing.FIELD);

    ObjectNode inner = codec.inner(sealed);
    assertThat(Sealing.isSealed(inner)).isTrue();
    assertThat(Sealing.claimedInstance(inner)).isEqualTo(X);
    Envelope opened = codec.decode(sealing.openMessage(inner, keyX));
    assertThat(opened.method()).isEqualTo("heartbeat");
    assertThat(opened.args().get("instance_id").asText()).isEqualTo(X);
    assertThat(opened.args().path("payload").path("service_status").asText()).isEqualTo("healthy");
    assertThat(opened.context().values()).containsEntry("auth_token", "tok-secret");
  }

  @Test
  void anotherKeyATamperedCiphertextOrAnotherClaimedInstanceDoNotOpen() {
    ObjectNode inner = codec.inner(sealing.sealMessage(heartbeat(Y), X, keyX));
    // sealed with X's key, read with Y's
    assertThatThrownBy(() -> sealing.openMessage(inner, keyY))
        .isInstanceOf(Aead.AuthenticationException.class);

    // one flipped bit in the ciphertext
    ObjectNode tampered = inner.deepCopy();
    byte[] data = Base64.getDecoder().decode(tampered.with(Sealing.FIELD).get("data").asText());
    data[data.length / 2] ^= 1;
    tampered.with(Sealing.FIELD).put("data", Base64.getEncoder().encodeToString(data));
    assertThatThrownBy(() -> sealing.openMessage(tampered, keyX))
        .isInstanceOf(Aead.AuthenticationException.class);

    // the claimed instance is bound: relabelled as Y it fails even with X's key
    ObjectNode relabelled = inner.deepCopy();
    relabelled.with(Sealing.FIELD).put("instance", Y);
    assertThatThrownBy(() -> sealing.openMessage(relabelled, keyX))
        .isInstanceOf(Aead.AuthenticationException.class);

    // and so is the method
    ObjectNode renamed = inner.deepCopy();
    renamed.put("method", "update_backup");
    assertThatThrownBy(() -> sealing.openMessage(renamed, keyX))
        .isInstanceOf(Aead.AuthenticationException.class);
  }

  @Test
  void repliesAreSealedAndBoundToTheirCall() {
    Envelope call =
        codec.call(
            GuestMethods.LIST_DATABASES,
            RequestContext.empty(),
            new ListArgs(20, null, false),
            "reply_abc");
    byte[] reply = codec.encodeReply(codec.success(call, Map.of("databases", "secret-list")));
    byte[] sealed = sealing.sealReply(reply, X, keyX);
    assertThat(new String(sealed, StandardCharsets.UTF_8)).doesNotContain("secret-list");
    ObjectNode inner = codec.inner(sealed);
    Reply opened = codec.decodeReply(sealing.openReply(inner, keyX));
    assertThat(opened.msgId()).isEqualTo(call.msgId());
    assertThat(opened.result().toString()).contains("secret-list");

    ObjectNode moved = inner.deepCopy();
    moved.put("_msg_id", "another-call");
    assertThatThrownBy(() -> sealing.openReply(moved, keyX))
        .isInstanceOf(Aead.AuthenticationException.class);
  }

  @Test
  void instanceKeysAtRestOpenOnlyWithTheMasterKeyForTheirOwnInstance() {
    KeyWrap wrap = new KeyWrap(Aead.newKey());
    String stored = wrap.wrap(X, keyX);
    assertThat(stored).startsWith("gcm1:").hasSizeLessThan(255);
    assertThat(wrap.unwrap(X, stored).getEncoded()).isEqualTo(keyX.getEncoded());
    assertThatThrownBy(() -> wrap.unwrap(Y, stored))
        .isInstanceOf(Aead.AuthenticationException.class);
    assertThatThrownBy(() -> new KeyWrap(Aead.newKey()).unwrap(X, stored))
        .isInstanceOf(Aead.AuthenticationException.class);
    assertThatThrownBy(() -> wrap.unwrap(X, "not-a-key"))
        .isInstanceOf(Aead.AuthenticationException.class);
  }
}
