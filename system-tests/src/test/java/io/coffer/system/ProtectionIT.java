package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
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
import io.coffer.model.secure.KeyWrap;
import io.coffer.testing.Broker;
import io.coffer.testing.Db;
import io.coffer.testing.ServiceProcess;
import io.coffer.testing.TestEnv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Instance message protection against real guests and a real conductor: each instance has its own
 * key; forged, tampered and plaintext messages are refused and counted, and change nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProtectionIT {

  private static final Tenant TENANT = new Tenant();
  private static final int CONDUCTOR_PORT = 28782;
  private static final MessageCodec CODEC = new MessageCodec();
  private static final Sealing SEALING = new Sealing(CODEC);
  private static String x;
  private static String y;
  private static SecretKey keyX;
  private static SecretKey keyY;
  private static Connection amqp;

  @BeforeAll
  static void twoInstances() throws Exception {
    Suite.start();
    x = create("sealed-x");
    y = create("sealed-y");
    TENANT.await(x, "ACTIVE", Duration.ofSeconds(90));
    TENANT.await(y, "ACTIVE", Duration.ofSeconds(90));
    KeyWrap wrap =
        new KeyWrap(
            Aead.key(
                Files.readString(
                    ServiceProcess.repositoryRoot().resolve("test-support/test-master.key"))));
    keyX = wrap.unwrap(x, (String) Db.value("SELECT encrypted_key FROM instances WHERE id = ?", x));
    keyY = wrap.unwrap(y, (String) Db.value("SELECT encrypted_key FROM instances WHERE id = ?", y));
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(TestEnv.rabbitHost());
    f.setPort(TestEnv.rabbitPort());
    f.setUsername(TestEnv.rabbitUser());
    f.setPassword(TestEnv.rabbitPassword());
    f.setVirtualHost(TestEnv.rabbitVhost());
    amqp = f.newConnection("protection-it");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (amqp != null) {
      amqp.close();
    }
    for (String id : new String[] {x, y}) {
      if (id != null) {
        TENANT.as().delete(TENANT.path("instances/" + id));
      }
    }
  }

  private static String create(String name) {
    return TENANT.createInstance(name, null, null);
  }

  private static byte[] heartbeat(String named, String status) {
    double now = System.currentTimeMillis() / 1000.0 + 1;
    return CODEC.encode(
        CODEC.cast(
            ConductorMethods.HEARTBEAT,
            RequestContext.empty(),
            new HeartbeatArgs(named, new HeartbeatPayload(status), now)));
  }

  private static void publish(String routingKey, byte[] body, AMQP.BasicProperties props)
      throws Exception {
    try (Channel ch = amqp.createChannel()) {
      // confirmed before the channel closes: a quorum queue may drop what a closing channel sent
      ch.confirmSelect();
      ch.basicPublish(TestEnv.exchange(), routingKey, props, body);
      ch.waitForConfirmsOrDie(10_000);
    }
  }

  private static double refused(String reason) throws Exception {
    return MetricsIT.sum(
        MetricsIT.scrape(CONDUCTOR_PORT),
        "coffer_bus_messages_refused_total",
        Map.of("queue", Topics.CONDUCTOR, "reason", reason));
  }

  @Test
  @Order(1)
  void forgedTamperedAndPlaintextHeartbeatsAreRefusedAndCountedAndChangeNothing() throws Exception {
    // the API shows admins that the instances' messages are protected
    assertThat(
            (Boolean)
                Suite.as(io.coffer.testing.Tokens.admin())
                    .get("/v1.0/" + TENANT.project + "/instances/" + y)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("instance.encrypted_rpc_messaging"))
        .isTrue();
    // nothing in the stored key or the guest's configuration is readable without the master key
    assertThat((String) Db.value("SELECT encrypted_key FROM instances WHERE id = ?", y))
        .startsWith("gcm1:")
        .doesNotContain(Base64.getEncoder().encodeToString(keyY.getEncoded()));

    double mismatch = refused("instance-mismatch");
    double forged = refused("forged");
    double plaintext = refused("plaintext");
    Object before =
        Db.value("SELECT status_description FROM service_statuses WHERE instance_id = ?", y);
    assertThat(before).isEqualTo("healthy");

    // 1. X's guest, with X's key, reports for Y
    publish(Topics.CONDUCTOR, SEALING.sealMessage(heartbeat(y, "shutdown"), x, keyX), null);
    // 2. X's key, claiming to be Y
    publish(Topics.CONDUCTOR, SEALING.sealMessage(heartbeat(y, "shutdown"), y, keyX), null);
    // 3. Y's genuine sealed heartbeat with one bit of its ciphertext flipped
    ObjectNode inner = CODEC.inner(SEALING.sealMessage(heartbeat(y, "shutdown"), y, keyY));
    byte[] data = Base64.getDecoder().decode(inner.with(Sealing.FIELD).get("data").asText());
    data[data.length - 20] ^= 0x10;
    inner.with(Sealing.FIELD).put("data", Base64.getEncoder().encodeToString(data));
    publish(Topics.CONDUCTOR, CODEC.body(inner), null);
    // 4. a plaintext heartbeat for Y (Trove's unprotected format)
    publish(Topics.CONDUCTOR, heartbeat(y, "shutdown"), null);

    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(refused("instance-mismatch")).isGreaterThanOrEqualTo(mismatch + 1);
              assertThat(refused("forged")).isGreaterThanOrEqualTo(forged + 2);
              assertThat(refused("plaintext")).isGreaterThanOrEqualTo(plaintext + 1);
            });
    // Y's guest keeps reporting (sealed) and Y stays healthy: none of the four took effect
    Thread.sleep(3000);
    assertThat(Db.value("SELECT status_description FROM service_statuses WHERE instance_id = ?", y))
        .isEqualTo("healthy");
    assertThat(TENANT.show(y).getString("instance.operating_status")).isEqualTo("HEALTHY");
    // the refused messages are kept in the dead-letter queue with the reason, for operators
    assertThat(
            MetricsIT.sum(
                MetricsIT.scrape(CONDUCTOR_PORT), "coffer_bus_dead_letter_depth", Map.of()))
        .isGreaterThanOrEqualTo(4);
  }

  @Test
  @Order(2)
  void aGuestAnswersOnlyCallsSealedWithItsKeyAndSealsItsAnswer() throws Exception {
    try (Channel ch = amqp.createChannel()) {
      // a reply queue as the control plane makes them: reachable through the reply exchange
      String replyQueue = Topics.newReplyQueue();
      ch.queueDeclare(replyQueue, false, true, true, null);
      ch.queueBind(replyQueue, Topics.REPLY_EXCHANGE, replyQueue);
      Envelope call =
          CODEC.call(
              GuestMethods.LIST_DATABASES,
              RequestContext.empty(),
              new ListArgs(20, null, false),
              replyQueue);
      AMQP.BasicProperties props =
          new AMQP.BasicProperties.Builder()
              .correlationId(call.msgId())
              .expiration("10000")
              .build();

      // plaintext, and sealed with Y's key for X's queue: no answer
      ch.basicPublish(TestEnv.exchange(), Topics.guest(x), props, CODEC.encode(call));
      ch.basicPublish(
          TestEnv.exchange(),
          Topics.guest(x),
          props,
          SEALING.sealMessage(CODEC.encode(call), y, keyY));
      Thread.sleep(3000);
      assertThat(ch.basicGet(replyQueue, true)).isNull();

      // sealed with X's key: answered, the answer sealed by X
      ch.basicPublish(
          TestEnv.exchange(),
          Topics.guest(x),
          props,
          SEALING.sealMessage(CODEC.encode(call), x, keyX));
      GetResponse got = null;
      long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (got == null && System.nanoTime() < end) {
        got = ch.basicGet(replyQueue, true);
        if (got == null) {
          Thread.sleep(100);
        }
      }
      assertThat(got).as("a reply to the sealed call").isNotNull();
      String wire = new String(got.getBody(), StandardCharsets.UTF_8);
      assertThat(wire).contains(Sealing.FIELD).doesNotContain("\"databases\"");
      ObjectNode opened = SEALING.openReply(CODEC.inner(got.getBody()), keyX);
      assertThat(opened.path("failure").isNull()).isTrue();
      assertThat(opened.path("result").isMissingNode()).isFalse();
      assertThat(List.of(opened.get("_msg_id").asText())).containsExactly(call.msgId());

      // guest methods are an allow-list: a sealed call of any other method is refused
      ObjectNode forged = CODEC.inner(CODEC.encode(call));
      forged.put("method", "run_shell_command");
      forged.put("_msg_id", "b" + call.msgId().substring(1));
      ch.basicPublish(
          TestEnv.exchange(),
          Topics.guest(x),
          new AMQP.BasicProperties.Builder().correlationId(forged.get("_msg_id").asText()).build(),
          SEALING.sealMessage(CODEC.body(forged), x, keyX));
      GetResponse refusal = null;
      long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      while (refusal == null && System.nanoTime() < until) {
        refusal = ch.basicGet(replyQueue, true);
        if (refusal == null) {
          Thread.sleep(100);
        }
      }
      assertThat(refusal).as("the refusal of an unknown method").isNotNull();
      ObjectNode refused = SEALING.openReply(CODEC.inner(refusal.getBody()), keyX);
      assertThat(refused.path("failure").asText())
          .contains("MessageRejected")
          .contains("run_shell_command is not handled");
    }
  }

  /** Something done with a broker connection that may be refused. */
  @FunctionalInterface
  interface BrokerAction {
    void run(Channel ch) throws Exception;
  }

  /**
   * The AMQP reply code that closed the channel (403 ACCESS_REFUSED), or 200 if it went through.
   */
  private static int attempt(Connection c, BrokerAction action) throws Exception {
    Channel ch = c.createChannel();
    try {
      ch.confirmSelect();
      action.run(ch);
      ch.waitForConfirmsOrDie(5000);
      ch.close();
      return 200;
    } catch (java.io.IOException | com.rabbitmq.client.ShutdownSignalException e) {
      com.rabbitmq.client.ShutdownSignalException sse =
          e instanceof com.rabbitmq.client.ShutdownSignalException s
              ? s
              : (com.rabbitmq.client.ShutdownSignalException) e.getCause();
      return ((AMQP.Channel.Close) sse.getReason()).getReplyCode();
    }
  }

  private static java.util.Properties guestConfig(String id) throws Exception {
    java.util.Properties p = new java.util.Properties();
    try (var in =
        Files.newInputStream(
            Suite.INSTANCES.resolve(id).resolve("config/application.properties"))) {
      p.load(in);
    }
    return p;
  }

  @Test
  @Order(3)
  void aGuestsBrokerUserReachesOnlyItsQueueAndTheConductorAndGoesWithTheInstance()
      throws Exception {
    java.util.Properties config = guestConfig(x);
    String user = config.getProperty("coffer.bus.username");
    assertThat(user).isEqualTo("coffer-guest-" + x).isNotEqualTo(TestEnv.rabbitUser());
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(TestEnv.rabbitHost());
    f.setPort(TestEnv.rabbitPort());
    f.setUsername(user);
    f.setPassword(config.getProperty("coffer.bus.password"));
    f.setVirtualHost(TestEnv.rabbitVhost());
    try (Connection guestX = f.newConnection("protection-it-guest-x")) {
      // another guest's queue: neither consumed nor read
      assertThat(
              attempt(
                  guestX,
                  ch ->
                      ch.basicConsume(
                          Topics.guest(y), true, new com.rabbitmq.client.DefaultConsumer(ch))))
          .isEqualTo(403);
      assertThat(attempt(guestX, ch -> ch.basicGet(Topics.guest(y), true))).isEqualTo(403);
      // the taskmanager: not through the Coffer exchange, not through the default exchange
      byte[] task = heartbeat(y, "healthy");
      assertThat(
              attempt(
                  guestX,
                  ch -> ch.basicPublish(TestEnv.exchange(), Topics.TASKMANAGER, null, task)))
          .isEqualTo(403);
      assertThat(attempt(guestX, ch -> ch.basicPublish("", Topics.TASKMANAGER, null, task)))
          .isEqualTo(403);
      // no binding its own queue to the taskmanager's key, no queues of its own
      assertThat(
              attempt(
                  guestX,
                  ch -> ch.queueBind(Topics.guest(x), TestEnv.exchange(), Topics.TASKMANAGER)))
          .isEqualTo(403);
      assertThat(attempt(guestX, ch -> ch.queueDeclare("guest-x-own", false, false, true, null)))
          .isEqualTo(403);
      // what a guest needs goes through: its own queue, reports to the conductor
      assertThat(attempt(guestX, ch -> ch.queueDeclarePassive(Topics.guest(x)))).isEqualTo(200);
      assertThat(
              attempt(
                  guestX,
                  ch ->
                      ch.basicPublish(
                          TestEnv.exchange(),
                          Topics.CONDUCTOR,
                          null,
                          SEALING.sealMessage(heartbeat(x, "healthy"), x, keyX))))
          .isEqualTo(200);
    }

    // deleting the instance removes its broker user and queue
    assertThat(Broker.managementStatus("/api/users/coffer-guest-" + x)).isEqualTo(200);
    TENANT.as().delete(TENANT.path("instances/" + x)).then().statusCode(202);
    TENANT.awaitDeleted(x, Duration.ofSeconds(60));
    assertThat(Broker.managementStatus("/api/users/coffer-guest-" + x)).isEqualTo(404);
    String vhost = java.net.URLEncoder.encode(TestEnv.rabbitVhost(), StandardCharsets.UTF_8);
    assertThat(Broker.managementStatus("/api/queues/" + vhost + "/" + Topics.guest(x)))
        .isEqualTo(404);
    x = null;
  }
}
