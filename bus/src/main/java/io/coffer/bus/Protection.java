package io.coffer.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coffer.model.routing.Topics;
import io.coffer.model.rpc.MessageCodec;
import io.coffer.model.rpc.Sealing;
import io.coffer.model.secure.Aead;
import io.coffer.model.secure.KeyUnavailableException;
import io.coffer.model.secure.MessageKeys;
import io.coffer.model.secure.TroveCipher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * Protection of instance messages on the bus. A message to a guest agent, from a guest agent (to
 * the conductor) and a guest's reply are sealed with the instance's key when it has one ({@link
 * Sealing}); received ones are opened and checked:
 *
 * <ul>
 *   <li>a sealed message must open with the key of the instance it claims ({@code forged});
 *   <li>it must be for the guest queue it arrived on, and its {@code instance_id} argument must
 *       name the same instance ({@code instance-mismatch});
 *   <li>its instance must have a key here ({@code unknown-key});
 *   <li>a plaintext message on a guest's queue, or a plaintext report on the conductor's queue
 *       naming an instance, is refused when that instance has a key ({@code plaintext}); instances
 *       without a key keep talking plaintext, and control-plane queues (the taskmanager's) carry
 *       control-plane messages, which are not sealed.
 * </ul>
 */
@ApplicationScoped
public class Protection {

  private final MessageKeys keys;
  private final String conductorTopic;
  private final MessageCodec codec;
  private final Sealing sealing;

  private final boolean troveCompat;

  @jakarta.inject.Inject
  Protection(MessageKeys keys, BusConfig config) {
    this(keys, config.conductorTopic(), config.troveCompat());
  }

  Protection(MessageKeys keys, String conductorTopic) {
    this(keys, conductorTopic, false);
  }

  Protection(MessageKeys keys, String conductorTopic, boolean troveCompat) {
    this.keys = keys;
    this.conductorTopic = conductorTopic;
    this.troveCompat = troveCompat;
    this.codec = new MessageCodec();
    this.sealing = new Sealing(codec);
  }

  /**
   * The key of an instance: a stored key that does not open with the master key counts as none
   * known here (its messages are refused, never let through as plaintext).
   */
  private Optional<SecretKey> keyOf(String instance, boolean forReceiving) {
    try {
      return keys.keyOf(instance);
    } catch (Aead.AuthenticationException e) {
      if (forReceiving) {
        throw new RefusedMessageException(
            "unknown-key", "the stored key of instance " + instance + " does not open");
      }
      throw new BusException("the stored key of instance " + instance + " does not open");
    } catch (KeyUnavailableException e) {
      if (forReceiving) {
        throw e;
      }
      throw new BusUnavailableException(e.getMessage(), e);
    }
  }

  /** The instance whose key protects messages published to {@code topic}, if any. */
  private String sealingInstance(String topic) {
    if (Topics.isGuest(topic)) {
      return Topics.instanceOf(topic);
    }
    return keys.ownInstance().orElse(null);
  }

  /** The body to publish to {@code topic}: sealed when its instance has a key. */
  public byte[] outgoing(String topic, byte[] body) {
    String instance = sealingInstance(topic);
    if (instance == null) {
      return body;
    }
    Optional<SecretKey> key = keyOf(instance, false);
    return key.isPresent() ? sealing.sealMessage(body, instance, key.get()) : body;
  }

  /** The body of a reply sent by the consumer of {@code queue}. */
  public byte[] outgoingReply(String queue, byte[] body) {
    if (!Topics.isGuest(queue)) {
      return body;
    }
    String instance = Topics.instanceOf(queue);
    Optional<SecretKey> key = keyOf(instance, false);
    return key.isPresent() ? sealing.sealReply(body, instance, key.get()) : body;
  }

  /**
   * The inner message of a body taken from {@code queue}, opened and checked.
   *
   * @throws RefusedMessageException when the message is refused
   * @throws io.coffer.model.rpc.MalformedMessageException when the body is not a message
   * @throws KeyUnavailableException when the instance's key cannot be read now (try again)
   */
  public ObjectNode incoming(String queue, byte[] body) {
    ObjectNode inner = codec.inner(body);
    String expected = Topics.isGuest(queue) ? Topics.instanceOf(queue) : null;
    if (Sealing.isSealed(inner)) {
      String claimed = Sealing.claimedInstance(inner);
      if (expected != null && !expected.equals(claimed)) {
        throw new RefusedMessageException(
            "instance-mismatch", "a message sealed for instance " + claimed + " on " + queue);
      }
      SecretKey key =
          keyOf(claimed, true)
              .orElseThrow(
                  () ->
                      new RefusedMessageException(
                          "unknown-key",
                          "a message sealed for instance " + claimed + ", which has no key here"));
      ObjectNode open;
      try {
        open = sealing.openMessage(inner, key);
      } catch (Aead.AuthenticationException e) {
        throw new RefusedMessageException(
            "forged", "a message for instance " + claimed + " failed authentication");
      }
      for (String named : namedInstances(open)) {
        if (!named.equals(claimed)) {
          throw new RefusedMessageException(
              "instance-mismatch",
              "a message sealed by instance " + claimed + " names instance " + named);
        }
      }
      return open;
    }
    if (inner.has(TROVE_INSTANCE)) {
      if (!troveCompat || !queue.equals(conductorTopic)) {
        throw new RefusedMessageException(
            "trove-scheme", "a message in Trove's secure-RPC scheme, which is not enabled");
      }
      return openTrove(inner);
    }
    List<String> claims = new ArrayList<>();
    if (expected != null) {
      claims.add(expected);
    } else if (queue.equals(conductorTopic)) {
      // the conductor's queue carries guests' reports: a keyed instance's must be sealed
      claims.addAll(namedInstances(inner));
    }
    for (String claim : claims) {
      if (keyOf(claim, true).isPresent()) {
        throw new RefusedMessageException(
            "plaintext", "a plaintext message for instance " + claim + ", which has a key");
      }
    }
    return inner;
  }

  /**
   * The instances a message's arguments name: {@code instance_id}, and the {@code instance_id} of a
   * guest's failure notification ({@code serialized_notification}).
   */
  private static List<String> namedInstances(JsonNode message) {
    JsonNode args = message.path("args");
    List<String> out = new ArrayList<>(2);
    for (JsonNode n :
        List.of(
            args.path("instance_id"), args.path("serialized_notification").path("instance_id"))) {
      if (n.isTextual()) {
        out.add(n.asText());
      }
    }
    return out;
  }

  /**
   * The inner reply to a call made to {@code topic}, opened and checked.
   *
   * @throws RefusedMessageException when the reply is refused
   */
  public ObjectNode incomingReply(String topic, byte[] body) {
    ObjectNode inner = codec.inner(body);
    String instance = Topics.isGuest(topic) ? Topics.instanceOf(topic) : null;
    Optional<SecretKey> key = instance == null ? Optional.empty() : keyOf(instance, true);
    if (!Sealing.isSealed(inner)) {
      if (key.isPresent()) {
        throw new RefusedMessageException(
            "plaintext", "a plaintext reply from instance " + instance + ", which has a key");
      }
      return inner;
    }
    String claimed = Sealing.claimedInstance(inner);
    if (instance == null || !instance.equals(claimed) || key.isEmpty()) {
      throw new RefusedMessageException(
          "instance-mismatch", "a reply sealed by instance " + claimed + " to a call to " + topic);
    }
    try {
      return sealing.openReply(inner, key.get());
    } catch (Aead.AuthenticationException e) {
      throw new RefusedMessageException(
          "forged", "a reply from instance " + claimed + " failed authentication");
    }
  }

  private static final String TROVE_INSTANCE = "_context_csz-instance-id";
  private static final String TROVE_CONTEXT = "_context_context";

  /**
   * Opens a report a Trove guest encrypted (TROVE-SPEC 4.2): every argument is a JSON string {@code
   * {"entity": <cipher>, "csz-instance-id": <id>}}, the context one cipher; all with the key of the
   * instance it names.
   */
  private ObjectNode openTrove(ObjectNode inner) {
    String claimed = inner.path(TROVE_INSTANCE).asText();
    String k;
    try {
      k =
          keys.troveKeyOf(claimed)
              .orElseThrow(
                  () ->
                      new RefusedMessageException(
                          "unknown-key", "no Trove key for instance " + claimed));
    } catch (KeyUnavailableException | RefusedMessageException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new RefusedMessageException("unknown-key", "no Trove key for instance " + claimed);
    }
    ObjectNode out = inner.deepCopy();
    out.remove(TROVE_INSTANCE);
    out.remove(TROVE_CONTEXT);
    ObjectNode args = codec.mapper().createObjectNode();
    try {
      for (var it = inner.path("args").fields(); it.hasNext(); ) {
        var e = it.next();
        JsonNode wrapped = codec.mapper().readTree(e.getValue().asText());
        if (!wrapped.path("entity").isTextual()
            || !claimed.equals(wrapped.path("csz-instance-id").asText())) {
          throw new RefusedMessageException(
              "instance-mismatch", "a Trove argument not wrapped for instance " + claimed);
        }
        args.set(
            e.getKey(),
            codec.mapper().readTree(TroveCipher.decrypt(k, wrapped.get("entity").asText())));
      }
      if (inner.path(TROVE_CONTEXT).isTextual()) {
        JsonNode context =
            codec.mapper().readTree(TroveCipher.decrypt(k, inner.get(TROVE_CONTEXT).asText()));
        context.fields().forEachRemaining(e -> out.set("_context_" + e.getKey(), e.getValue()));
      }
    } catch (Aead.AuthenticationException | java.io.IOException e) {
      throw new RefusedMessageException(
          "forged", "a Trove message for instance " + claimed + " does not decrypt");
    }
    out.set("args", args);
    JsonNode named = args.path("instance_id");
    if (!named.isTextual() || !named.asText().equals(claimed)) {
      throw new RefusedMessageException(
          "instance-mismatch",
          "a Trove message wrapped for " + claimed + " names another instance");
    }
    return out;
  }
}
