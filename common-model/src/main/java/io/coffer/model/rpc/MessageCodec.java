package io.coffer.model.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Encodes and decodes oslo.messaging's RabbitMQ wire format: the 2.0 envelope {@code
 * {"oslo.version": "2.0", "oslo.message": "<inner JSON>"}} around {@code method}, {@code args},
 * {@code version}, {@code _unique_id}, the flattened {@code _context_*} entries and, for calls,
 * {@code _msg_id}, {@code _reply_q} and {@code _timeout}; and the replies to calls.
 *
 * <p>The codec owns its {@link ObjectMapper}, so every daemon encodes the same way whatever mapper
 * its framework provides. Instances are thread-safe.
 */
public final class MessageCodec {

  /** Envelope version Coffer writes and the only major version it reads. */
  public static final String OSLO_VERSION = "2.0";

  private static final String VERSION_KEY = "oslo.version";
  private static final String MESSAGE_KEY = "oslo.message";
  private static final String CONTEXT_PREFIX = "_context_";
  private static final TypeReference<Object> ANY = new TypeReference<>() {};

  private final ObjectMapper json;

  /** Creates a codec with its own mapper. */
  public MessageCodec() {
    this.json = newMapper();
  }

  /** A mapper configured as the codec's: unknown fields ignored, empty records allowed. */
  public static ObjectMapper newMapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  /** The codec's mapper, for converting argument and result values. */
  public ObjectMapper mapper() {
    return json;
  }

  /** A new {@code _unique_id} / {@code _msg_id}: a uuid4 in hex without dashes. */
  public static String newUniqueId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** Builds the envelope of a cast. */
  public <A> Envelope cast(Method<A, ?> method, RequestContext context, A args) {
    return new Envelope(
        method.name(), toArgs(method, args), method.version(), newUniqueId(), context, null, null);
  }

  /** Builds the envelope of a call answered on {@code replyQueue}. */
  public <A> Envelope call(Method<A, ?> method, RequestContext context, A args, String replyQueue) {
    return new Envelope(
        method.name(),
        toArgs(method, args),
        method.version(),
        newUniqueId(),
        context,
        newUniqueId(),
        replyQueue);
  }

  private ObjectNode toArgs(Method<?, ?> method, Object args) {
    if (args == null) {
      return json.createObjectNode();
    }
    if (!method.argsType().isInstance(args)) {
      throw new IllegalArgumentException(
          method.name() + " takes " + method.argsType().getSimpleName());
    }
    JsonNode tree = json.valueToTree(args);
    if (!(tree instanceof ObjectNode node)) {
      throw new IllegalArgumentException(method.name() + ": arguments must be a JSON object");
    }
    return node;
  }

  /** Serialises a message to the bytes of an AMQP body. */
  public byte[] encode(Envelope envelope) {
    ObjectNode inner = json.createObjectNode();
    inner.put("method", envelope.method());
    inner.set("args", envelope.args());
    inner.put("version", envelope.version());
    if (envelope.msgId() != null) {
      inner.put("_msg_id", envelope.msgId());
      inner.put("_reply_q", envelope.replyQueue());
      inner.putNull("_timeout");
    }
    inner.put("_unique_id", envelope.uniqueId());
    envelope
        .context()
        .values()
        .forEach((k, v) -> inner.set(CONTEXT_PREFIX + k, json.valueToTree(v)));
    return wrap(inner);
  }

  /**
   * Parses an AMQP body. Accepts the 2.0 envelope and, as oslo.messaging does, a bare message
   * without envelope.
   *
   * @throws MalformedMessageException when the body is not a message
   */
  public Envelope decode(byte[] body) {
    return decode(unwrap(body));
  }

  /**
   * Reads an inner message (see {@link #inner}).
   *
   * @throws MalformedMessageException when it is not a message
   */
  public Envelope decode(ObjectNode inner) {
    JsonNode method = inner.get("method");
    if (method == null || !method.isTextual() || method.asText().isBlank()) {
      throw new MalformedMessageException("message has no method");
    }
    JsonNode args = inner.get("args");
    ObjectNode argsNode;
    if (args == null || args.isNull()) {
      argsNode = json.createObjectNode();
    } else if (args instanceof ObjectNode o) {
      argsNode = o;
    } else {
      throw new MalformedMessageException("args of " + method.asText() + " is not an object");
    }
    Map<String, Object> context = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = inner.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().startsWith(CONTEXT_PREFIX)) {
        context.put(
            e.getKey().substring(CONTEXT_PREFIX.length()), json.convertValue(e.getValue(), ANY));
      }
    }
    return new Envelope(
        method.asText(),
        argsNode,
        text(inner, "version", Method.DEFAULT_VERSION),
        text(inner, "_unique_id", null),
        RequestContext.of(context),
        text(inner, "_msg_id", null),
        text(inner, "_reply_q", null));
  }

  /**
   * Maps a message's arguments onto the method's record.
   *
   * @throws MalformedMessageException when they do not fit
   */
  public <A> A args(Envelope envelope, Method<A, ?> method) {
    try {
      return json.treeToValue(envelope.args(), method.argsType());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new MalformedMessageException(
          "arguments of " + method.name() + " do not match: " + firstLine(e.getMessage()), e);
    }
  }

  /** The successful reply to a call. */
  public Reply success(Envelope call, Object result) {
    JsonNode value = result == null ? NullNode.getInstance() : json.valueToTree(result);
    return new Reply(value, null, true, call.msgId(), newUniqueId());
  }

  /** The failed reply to a call. */
  public Reply failure(Envelope call, RemoteFailure failure) {
    return new Reply(NullNode.getInstance(), failure, true, call.msgId(), newUniqueId());
  }

  /**
   * Serialises a reply; the {@code failure} travels as a JSON string, as oslo.messaging sends it.
   */
  public byte[] encodeReply(Reply reply) {
    ObjectNode inner = json.createObjectNode();
    inner.set("result", reply.result() == null ? NullNode.getInstance() : reply.result());
    if (reply.failure() == null) {
      inner.putNull("failure");
    } else {
      try {
        inner.put("failure", json.writeValueAsString(reply.failure()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot encode failure", e);
      }
    }
    inner.put("ending", reply.ending());
    inner.put("_msg_id", reply.msgId());
    inner.put("_unique_id", reply.uniqueId());
    return wrap(inner);
  }

  /**
   * Parses a reply body.
   *
   * @throws MalformedMessageException when the body is not a reply
   */
  public Reply decodeReply(byte[] body) {
    return decodeReply(unwrap(body));
  }

  /**
   * Reads an inner reply.
   *
   * @throws MalformedMessageException when it is not a reply
   */
  public Reply decodeReply(ObjectNode inner) {
    RemoteFailure failure = null;
    JsonNode f = inner.get("failure");
    if (f != null && !f.isNull()) {
      try {
        failure =
            f.isTextual()
                ? json.readValue(f.asText(), RemoteFailure.class)
                : json.treeToValue(f, RemoteFailure.class);
      } catch (JsonProcessingException e) {
        failure = RemoteFailure.of("RemoteError", f.asText());
      }
    }
    JsonNode result = inner.get("result");
    JsonNode ending = inner.get("ending");
    return new Reply(
        result == null ? NullNode.getInstance() : result,
        failure,
        ending == null || ending.asBoolean(true),
        text(inner, "_msg_id", null),
        text(inner, "_unique_id", null));
  }

  /**
   * Converts a call's result to the method's result type ({@code null} for {@link Void}).
   *
   * @throws MalformedMessageException when the result does not fit
   */
  public <R> R result(Reply reply, Method<?, R> method) {
    if (method.resultType() == Void.class || reply.result() == null) {
      return null;
    }
    try {
      return json.treeToValue(reply.result(), method.resultType());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new MalformedMessageException(
          "result of " + method.name() + " does not match: " + firstLine(e.getMessage()), e);
    }
  }

  /**
   * The inner message of a body (the parsed {@code oslo.message}, or the bare message).
   *
   * @throws MalformedMessageException when the body is not a message
   */
  public ObjectNode inner(byte[] body) {
    return unwrap(body);
  }

  /** The body of an inner message, in the 2.0 envelope. */
  public byte[] body(ObjectNode inner) {
    return wrap(inner);
  }

  private byte[] wrap(ObjectNode inner) {
    try {
      ObjectNode outer = json.createObjectNode();
      outer.put(VERSION_KEY, OSLO_VERSION);
      outer.put(MESSAGE_KEY, json.writeValueAsString(inner));
      return json.writeValueAsBytes(outer);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode message", e);
    }
  }

  private ObjectNode unwrap(byte[] body) {
    JsonNode outer;
    try {
      outer = json.readTree(body);
    } catch (IOException e) {
      throw new MalformedMessageException("body is not JSON: " + firstLine(e.getMessage()), e);
    }
    if (outer == null || outer.getNodeType() != JsonNodeType.OBJECT) {
      throw new MalformedMessageException("body is not a JSON object");
    }
    JsonNode version = outer.get(VERSION_KEY);
    if (version == null) {
      return (ObjectNode) outer;
    }
    if (!version.isTextual() || !version.asText().startsWith("2.")) {
      throw new MalformedMessageException("unsupported envelope version " + version);
    }
    JsonNode message = outer.get(MESSAGE_KEY);
    if (message == null || !message.isTextual()) {
      throw new MalformedMessageException("envelope has no oslo.message string");
    }
    try {
      JsonNode inner = json.readTree(message.asText());
      if (inner instanceof ObjectNode o) {
        return o;
      }
    } catch (IOException e) {
      throw new MalformedMessageException(
          "oslo.message is not JSON: " + firstLine(e.getMessage()), e);
    }
    throw new MalformedMessageException("oslo.message is not a JSON object");
  }

  private static String text(ObjectNode node, String field, String fallback) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? fallback : v.asText();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
