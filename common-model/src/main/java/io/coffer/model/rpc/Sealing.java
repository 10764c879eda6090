package io.coffer.model.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.coffer.model.secure.Aead;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;

/**
 * Coffer's protection of an instance's messages: AES-256-GCM with the instance's own key over the
 * arguments and the context of a message (or the result of a reply), with the instance id, the
 * method and the message ids bound as associated data.
 *
 * <p>A sealed message keeps its routing fields ({@code method}, {@code version}, {@code
 * _unique_id}, {@code _msg_id}, {@code _reply_q}); {@code args} is empty and every {@code
 * _context_*} entry is gone; {@code coffer.sealed} holds {@code {"v": 1, "instance": "<id>",
 * "data": "<base64 nonce ‖ ciphertext ‖ tag>"}}. A sealed reply keeps {@code _msg_id}, {@code
 * _unique_id} and {@code ending}; its {@code result} and {@code failure} travel sealed.
 */
public final class Sealing {

  /** The field holding the sealed part. */
  public static final String FIELD = "coffer.sealed";

  private static final String CONTEXT_PREFIX = "_context_";

  private final MessageCodec codec;
  private final ObjectMapper json;

  public Sealing(MessageCodec codec) {
    this.codec = codec;
    this.json = codec.mapper();
  }

  private static String text(ObjectNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }

  private static String messageAad(ObjectNode inner, String instance) {
    return String.join(
        "|",
        "coffer.sealed.v1",
        "msg",
        instance,
        text(inner, "method"),
        text(inner, "_unique_id"),
        text(inner, "_msg_id"),
        text(inner, "_reply_q"));
  }

  private static String replyAad(ObjectNode inner, String instance) {
    return String.join(
        "|",
        "coffer.sealed.v1",
        "reply",
        instance,
        text(inner, "_msg_id"),
        text(inner, "_unique_id"));
  }

  /** True when the inner message (or reply) is sealed. */
  public static boolean isSealed(ObjectNode inner) {
    return inner.has(FIELD);
  }

  /**
   * The instance a sealed message says it belongs to.
   *
   * @throws MalformedMessageException when the sealed part is not well formed
   */
  public static String claimedInstance(ObjectNode inner) {
    JsonNode s = inner.get(FIELD);
    if (s == null || !s.isObject() || !s.path("instance").isTextual()) {
      throw new MalformedMessageException(FIELD + " has no instance");
    }
    return s.get("instance").asText();
  }

  /** Seals a message body for {@code instance} with its key. */
  public byte[] sealMessage(byte[] body, String instance, SecretKey key) {
    ObjectNode inner = codec.inner(body);
    ObjectNode plain = json.createObjectNode();
    plain.set("args", inner.get("args"));
    List<String> context = new ArrayList<>();
    inner
        .fieldNames()
        .forEachRemaining(
            f -> {
              if (f.startsWith(CONTEXT_PREFIX)) {
                context.add(f);
              }
            });
    for (String f : context) {
      plain.set(f, inner.remove(f));
    }
    inner.set("args", json.createObjectNode());
    inner.set(FIELD, sealed(key, plain, instance, messageAad(inner, instance)));
    return codec.body(inner);
  }

  /** Seals a reply body sent by {@code instance}. */
  public byte[] sealReply(byte[] body, String instance, SecretKey key) {
    ObjectNode inner = codec.inner(body);
    ObjectNode plain = json.createObjectNode();
    plain.set("result", inner.remove("result"));
    plain.set("failure", inner.remove("failure"));
    inner.putNull("result");
    inner.putNull("failure");
    inner.set(FIELD, sealed(key, plain, instance, replyAad(inner, instance)));
    return codec.body(inner);
  }

  /**
   * Opens a sealed message with the key of the instance it claims.
   *
   * @throws Aead.AuthenticationException when it was not sealed with {@code key} for that instance,
   *     or was altered
   */
  public ObjectNode openMessage(ObjectNode inner, SecretKey key) {
    String instance = claimedInstance(inner);
    ObjectNode plain = opened(key, inner, messageAad(inner, instance));
    ObjectNode out = inner.deepCopy();
    out.remove(FIELD);
    for (Iterator<Map.Entry<String, JsonNode>> it = plain.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("args") || e.getKey().startsWith(CONTEXT_PREFIX)) {
        out.set(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /**
   * Opens a sealed reply.
   *
   * @throws Aead.AuthenticationException as {@link #openMessage}
   */
  public ObjectNode openReply(ObjectNode inner, SecretKey key) {
    String instance = claimedInstance(inner);
    ObjectNode plain = opened(key, inner, replyAad(inner, instance));
    ObjectNode out = inner.deepCopy();
    out.remove(FIELD);
    out.set("result", plain.get("result"));
    out.set("failure", plain.get("failure"));
    return out;
  }

  private ObjectNode sealed(SecretKey key, ObjectNode plain, String instance, String aad) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(plain);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode message", e);
    }
    ObjectNode s = json.createObjectNode();
    s.put("v", 1);
    s.put("instance", instance);
    s.put("data", Base64.getEncoder().encodeToString(Aead.seal(key, bytes, aad)));
    return s;
  }

  private ObjectNode opened(SecretKey key, ObjectNode inner, String aad) {
    JsonNode s = inner.get(FIELD);
    if (s.path("v").asInt() != 1 || !s.path("data").isTextual()) {
      throw new MalformedMessageException(FIELD + " is not version 1");
    }
    byte[] data;
    try {
      data = Base64.getDecoder().decode(s.get("data").asText());
    } catch (IllegalArgumentException e) {
      throw new Aead.AuthenticationException("sealed data is not base64");
    }
    byte[] plain = Aead.open(key, data, aad);
    try {
      JsonNode node = json.readTree(plain);
      if (node instanceof ObjectNode o) {
        return o;
      }
    } catch (IOException e) {
      // authenticated but not JSON: only a sender with the key can produce this
    }
    throw new MalformedMessageException("sealed data is not a JSON object");
  }

  /** The body of an opened inner message or reply. */
  public byte[] body(ObjectNode inner) {
    return codec.body(inner);
  }
}
