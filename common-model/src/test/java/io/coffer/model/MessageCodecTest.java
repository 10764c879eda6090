package io.coffer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.model.conductor.ConductorMethods;
import io.coffer.model.conductor.HeartbeatArgs;
import io.coffer.model.conductor.HeartbeatPayload;
import io.coffer.model.conductor.UpdateBackupArgs;
import io.coffer.model.guest.GuestMethods;
import io.coffer.model.guest.ListArgs;
import io.coffer.model.rpc.Envelope;
import io.coffer.model.rpc.MalformedMessageException;
import io.coffer.model.rpc.MessageCodec;
import io.coffer.model.rpc.RemoteFailure;
import io.coffer.model.rpc.Reply;
import io.coffer.model.rpc.RequestContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

  /** TROVE-SPEC §4.6: a heartbeat with encryption off, exactly as Trove's guest sends it. */
  private static final String TROVE_HEARTBEAT =
      "{\"oslo.version\": \"2.0\", \"oslo.message\": \"{\\\"method\\\": \\\"heartbeat\\\","
          + " \\\"args\\\": {\\\"instance_id\\\": \\\"7de1bed8-6983-4d46-9a52-0abfbb0d27a2\\\","
          + " \\\"sent\\\": 1672531200.123456, \\\"payload\\\": {\\\"service_status\\\":"
          + " \\\"healthy\\\"}}, \\\"version\\\": \\\"1.0\\\", \\\"_unique_id\\\":"
          + " \\\"ce3b1f4d2e294e389bde30fe70307e58\\\", \\\"_context_user\\\": null,"
          + " \\\"_context_project_id\\\": null, \\\"_context_system_scope\\\": null,"
          + " \\\"_context_project\\\": null, \\\"_context_domain\\\": null,"
          + " \\\"_context_user_domain\\\": null, \\\"_context_project_domain\\\": null,"
          + " \\\"_context_is_admin\\\": false, \\\"_context_read_only\\\": false,"
          + " \\\"_context_show_deleted\\\": false, \\\"_context_auth_token\\\": null,"
          + " \\\"_context_request_id\\\": \\\"req-2c74361a-dafe-4ab6-ad83-ecb608a1ccda\\\","
          + " \\\"_context_global_request_id\\\": null, \\\"_context_resource_uuid\\\": null,"
          + " \\\"_context_roles\\\": [], \\\"_context_user_identity\\\": \\\"- - - - -\\\","
          + " \\\"_context_is_admin_project\\\": true, \\\"_context_limit\\\": null,"
          + " \\\"_context_marker\\\": null, \\\"_context_service_catalog\\\": null}\"}";

  /** TROVE-SPEC §4.6: the inner message of a plaintext list_databases call. */
  private static final String TROVE_LIST_DATABASES_CALL =
      "{\"method\":\"list_databases\",\"args\":{\"limit\":20,\"marker\":null,"
          + "\"include_marker\":false},\"version\":\"1.0\",\"_msg_id\":\"22198f0a1b\","
          + "\"_reply_q\":\"reply_f5464c77\",\"_timeout\":null,\"_unique_id\":\"abc\","
          + "\"_context_request_id\":\"req-1\",\"_context_roles\":[\"admin\"]}";

  private final MessageCodec codec = new MessageCodec();
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void decodesTheLiteralTroveHeartbeat() {
    Envelope envelope = codec.decode(TROVE_HEARTBEAT.getBytes(StandardCharsets.UTF_8));

    assertThat(envelope.method()).isEqualTo("heartbeat");
    assertThat(envelope.version()).isEqualTo("1.0");
    assertThat(envelope.uniqueId()).isEqualTo("ce3b1f4d2e294e389bde30fe70307e58");
    assertThat(envelope.isCall()).isFalse();
    assertThat(envelope.context().requestId())
        .isEqualTo("req-2c74361a-dafe-4ab6-ad83-ecb608a1ccda");
    assertThat(envelope.context().values())
        .containsKeys(RequestContext.OSLO_KEYS.toArray(String[]::new));
    HeartbeatArgs args = codec.args(envelope, ConductorMethods.HEARTBEAT);
    assertThat(args.instanceId()).isEqualTo("7de1bed8-6983-4d46-9a52-0abfbb0d27a2");
    assertThat(args.sent()).isEqualTo(1672531200.123456);
    assertThat(args.payload().serviceStatus()).isEqualTo("healthy");
  }

  @Test
  void decodesTheRecordedHeartbeatOfATroveGuest() throws IOException {
    JsonNode recorded = recording("amqp-heartbeat-plain.json");
    Envelope envelope =
        codec.decode(recorded.get("raw_body").asText().getBytes(StandardCharsets.UTF_8));

    HeartbeatArgs args = codec.args(envelope, ConductorMethods.HEARTBEAT);
    assertThat(args.instanceId()).isEqualTo("62a7f9d8-a107-4b5c-b305-26e1f335757e");
    assertThat(args.sent()).isEqualTo(1795679096.5274103);
    assertThat(envelope.context().requestId())
        .isEqualTo("req-0da4a0fb-7e84-4252-897e-6c48104bd05a");
    assertThat(recorded.get("routing_key").asText()).isEqualTo("trove-conductor");
  }

  @Test
  void decodesTheRecordedUpdateBackupOfATroveGuest() throws IOException {
    JsonNode recorded = recording("amqp-update-backup-plain.json");
    Envelope envelope =
        codec.decode(recorded.get("raw_body").asText().getBytes(StandardCharsets.UTF_8));

    UpdateBackupArgs args = codec.args(envelope, ConductorMethods.UPDATE_BACKUP);
    JsonNode expected = recorded.get("oslo_message").get("args");
    assertThat(args.backupId()).isEqualTo(expected.get("backup_id").asText());
    assertThat(args.instanceId()).isEqualTo(expected.get("instance_id").asText());
    assertThat(args.state()).isEqualTo(expected.get("state").asText());
    assertThat(args.sent()).isEqualTo(expected.get("sent").asDouble());
  }

  @Test
  void encryptedTroveArgumentsDoNotPassForPlainOnes() throws IOException {
    JsonNode recorded = recording("amqp-heartbeat-encrypted.json");
    Envelope envelope =
        codec.decode(recorded.get("raw_body").asText().getBytes(StandardCharsets.UTF_8));

    assertThat(envelope.context().values()).containsKeys("context", "csz-instance-id");
    assertThatThrownBy(() -> codec.args(envelope, ConductorMethods.HEARTBEAT))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessageContaining("heartbeat");
  }

  @Test
  void encodesAHeartbeatWithTroveKeys() throws IOException {
    HeartbeatArgs args =
        new HeartbeatArgs(
            "7de1bed8-6983-4d46-9a52-0abfbb0d27a2",
            new HeartbeatPayload("healthy"),
            1672531200.123456);
    byte[] body =
        codec.encode(codec.cast(ConductorMethods.HEARTBEAT, RequestContext.empty(), args));

    JsonNode outer = json.readTree(body);
    assertThat(outer.get("oslo.version").asText()).isEqualTo("2.0");
    JsonNode inner = json.readTree(outer.get("oslo.message").asText());
    JsonNode trove = json.readTree(json.readTree(TROVE_HEARTBEAT).get("oslo.message").asText());
    assertThat(fieldNames(inner)).isEqualTo(fieldNames(trove));
    assertThat(fieldNames(inner.get("args"))).isEqualTo(fieldNames(trove.get("args")));
    assertThat(inner.get("args").get("sent").asDouble()).isEqualTo(1672531200.123456);
    assertThat(inner.get("_unique_id").asText()).matches("[0-9a-f]{32}");
  }

  @Test
  void decodesACallAndKeepsUnknownContextKeys() {
    String body =
        TROVE_LIST_DATABASES_CALL.substring(0, TROVE_LIST_DATABASES_CALL.length() - 1)
            + ",\"_context_trace_info\":{\"x\":1}}";
    Envelope envelope = codec.decode(body.getBytes(StandardCharsets.UTF_8));

    assertThat(envelope.isCall()).isTrue();
    assertThat(envelope.msgId()).isEqualTo("22198f0a1b");
    assertThat(envelope.replyQueue()).isEqualTo("reply_f5464c77");
    assertThat(envelope.context().roles()).containsExactly("admin");
    assertThat(envelope.context().get("trace_info")).isEqualTo(Map.of("x", 1));
    ListArgs args = codec.args(envelope, GuestMethods.LIST_DATABASES);
    assertThat(args).isEqualTo(new ListArgs(20, null, false));

    Envelope again = codec.decode(codec.encode(envelope));
    assertThat(again.context()).isEqualTo(envelope.context());
    assertThat(again.msgId()).isEqualTo(envelope.msgId());
  }

  @Test
  void rejectsBodiesThatAreNotMessages() {
    for (String bad :
        List.of(
            "not json",
            "[1,2]",
            "{\"oslo.version\":\"2.0\"}",
            "{\"oslo.version\":\"2.0\",\"oslo.message\":\"{\\\"args\\\":{}}\"}",
            "{\"oslo.version\":\"2.0\",\"oslo.message\":\"[]\"}",
            "{\"oslo.version\":\"3.0\",\"oslo.message\":\"{}\"}",
            "{\"method\":\"heartbeat\",\"args\":[1]}",
            "{\"method\":\"\"}")) {
      assertThatThrownBy(() -> codec.decode(bad.getBytes(StandardCharsets.UTF_8)))
          .as(bad)
          .isInstanceOf(MalformedMessageException.class);
    }
  }

  @Test
  void acceptsABareMessageWithoutEnvelope() {
    Envelope envelope =
        codec.decode("{\"method\":\"rpc_ping\",\"args\":{}}".getBytes(StandardCharsets.UTF_8));
    assertThat(envelope.method()).isEqualTo("rpc_ping");
    assertThat(envelope.version()).isEqualTo("1.0");
  }

  @Test
  void argumentsOfTheWrongTypeAreMalformed() {
    Envelope envelope =
        codec.decode(
            "{\"method\":\"heartbeat\",\"args\":{\"sent\":\"yesterday\"}}"
                .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> codec.args(envelope, ConductorMethods.HEARTBEAT))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void repliesRoundTripWithAFailureAsAJsonString() throws IOException {
    Envelope call = codec.call(GuestMethods.RPC_PING, RequestContext.empty(), null, "reply_1234");
    Reply failed = codec.failure(call, RemoteFailure.of("GuestError", "boom"));
    byte[] body = codec.encodeReply(failed);

    JsonNode inner = json.readTree(json.readTree(body).get("oslo.message").asText());
    assertThat(inner.get("failure").isTextual()).isTrue();
    assertThat(inner.get("ending").asBoolean()).isTrue();
    assertThat(inner.get("_msg_id").asText()).isEqualTo(call.msgId());
    Reply decoded = codec.decodeReply(body);
    assertThat(decoded.failed()).isTrue();
    assertThat(decoded.failure().className()).isEqualTo("GuestError");
    assertThat(decoded.failure().message()).isEqualTo("boom");

    Reply ok = codec.decodeReply(codec.encodeReply(codec.success(call, true)));
    assertThat(ok.failed()).isFalse();
    assertThat(codec.result(ok, GuestMethods.RPC_PING)).isTrue();
  }

  @Test
  void decodesAnOsloMessagingFailureReply() {
    String oslo =
        "{\"oslo.version\": \"2.0\", \"oslo.message\": \"{\\\"failure\\\": \\\"{\\\\\\\"class\\\\\\\":"
            + " \\\\\\\"BadRequest\\\\\\\", \\\\\\\"module\\\\\\\": \\\\\\\"trove.common.exception\\\\\\\","
            + " \\\\\\\"message\\\\\\\": \\\\\\\"nope\\\\\\\", \\\\\\\"tb\\\\\\\": [],"
            + " \\\\\\\"args\\\\\\\": [], \\\\\\\"kwargs\\\\\\\": {}}\\\", \\\"result\\\": null,"
            + " \\\"ending\\\": true, \\\"_msg_id\\\": \\\"m1\\\"}\"}";
    Reply reply = codec.decodeReply(oslo.getBytes(StandardCharsets.UTF_8));
    assertThat(reply.failure().module()).isEqualTo("trove.common.exception");
    assertThat(reply.failure().message()).isEqualTo("nope");
    assertThat(reply.msgId()).isEqualTo("m1");
  }

  @Test
  void contextNeverPrintsTheToken() {
    RequestContext ctx =
        RequestContext.forUser("u", "p", List.of("admin"), true, null).with("auth_token", "s3cr3t");
    assertThat(ctx.toString()).doesNotContain("s3cr3t").contains("******");
    Envelope e = codec.cast(ConductorMethods.HEARTBEAT, ctx, null);
    assertThat(e.toString()).doesNotContain("s3cr3t");
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private JsonNode recording(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/trove-wire/" + name)) {
      return json.readTree(in);
    }
  }
}
