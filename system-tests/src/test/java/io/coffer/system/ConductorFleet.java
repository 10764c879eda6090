package io.coffer.system;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.coffer.model.conductor.ConductorMethods;
import io.coffer.model.conductor.HeartbeatArgs;
import io.coffer.model.conductor.HeartbeatPayload;
import io.coffer.model.rpc.MessageCodec;
import io.coffer.model.rpc.RequestContext;
import io.coffer.model.status.ServiceStatus;
import io.coffer.testing.Db;
import io.coffer.testing.ServiceProcess;
import io.coffer.testing.TestEnv;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;

/**
 * A fleet of simulated guests for conductor tests and the conductor benchmark: instance rows in the
 * infrastructure database, heartbeats published to the real broker like guest agents do, the stored
 * state read back, and conductor processes with their Prometheus metrics.
 */
final class ConductorFleet {

  static final ServiceStatus[] STATUSES = {
    ServiceStatus.RUNNING, ServiceStatus.HEALTHY, ServiceStatus.SHUTDOWN
  };

  private static final MessageCodec CODEC = new MessageCodec();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private ConductorFleet() {}

  /** Inserts {@code n} live instances of {@code project} (status NEW) and returns their ids. */
  static List<String> instances(String project, int n) {
    List<String> ids = new ArrayList<>(n);
    try (java.sql.Connection c = Db.connect()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO instances (id, created, updated, name, task_id, task_description,"
                  + " tenant_id, server_status, flavor_id, volume_size)"
                  + " SELECT gen_random_uuid()::text, now(), now(), 'guest-' || g, 1,"
                  + " 'No tasks for the instance.', ?, 'ACTIVE', '1', 1"
                  + " FROM generate_series(1, ?) g RETURNING id")) {
        ps.setString(1, project);
        ps.setInt(2, n);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO service_statuses (id, instance_id, status_id, status_description,"
                  + " updated_at) SELECT gen_random_uuid()::text, id, 23, 'new', now()"
                  + " FROM instances WHERE tenant_id = ?")) {
        ps.setString(1, project);
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return ids;
  }

  /** Removes the project's instances and their status rows. */
  static void remove(String project) {
    Db.update(
        "DELETE FROM conductor_lastseen WHERE instance_id IN"
            + " (SELECT id FROM instances WHERE tenant_id = ?)",
        project);
    Db.update(
        "DELETE FROM service_statuses WHERE instance_id IN"
            + " (SELECT id FROM instances WHERE tenant_id = ?)",
        project);
    Db.update("DELETE FROM instances WHERE tenant_id = ?", project);
  }

  /** A stored heartbeat: the {@code sent} of the last accepted report and the status. */
  record Stored(Double sent, String status) {}

  /** The stored heartbeat of every instance of the project. */
  static Map<String, Stored> stored(String project) {
    Map<String, Stored> out = new HashMap<>();
    try (java.sql.Connection c = Db.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT i.id, l.sent, s.status_description FROM instances i"
                    + " JOIN service_statuses s ON s.instance_id = i.id"
                    + " LEFT JOIN conductor_lastseen l ON l.instance_id = i.id"
                    + " AND l.method_name = 'heartbeat' WHERE i.tenant_id = ?")) {
      ps.setString(1, project);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double sent = rs.getDouble(2);
          out.put(rs.getString(1), new Stored(rs.wasNull() ? null : sent, rs.getString(3)));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** How many of the project's instances have any heartbeat stored. */
  static long reporting(String project) {
    return ((Number)
            Db.value(
                "SELECT count(*) FROM conductor_lastseen l JOIN instances i"
                    + " ON i.id = l.instance_id WHERE i.tenant_id = ?",
                project))
        .longValue();
  }

  /** The encoded heartbeat cast a guest agent sends. */
  static byte[] heartbeat(String instanceId, ServiceStatus status, double sent) {
    return CODEC.encode(
        CODEC.cast(
            ConductorMethods.HEARTBEAT,
            RequestContext.empty(),
            new HeartbeatArgs(instanceId, new HeartbeatPayload(status.description()), sent)));
  }

  /** Starts a conductor consuming {@code topic}, on {@code port}, and waits until it is ready. */
  static ServiceProcess conductor(int port, String topic, int batchSize, int consumers) {
    return ServiceProcess.start(
            "conductor-service",
            Map.of(
                "quarkus.http.port", Integer.toString(port),
                "coffer.bus.conductor-topic", topic,
                "coffer.conductor.batch-size", Integer.toString(batchSize),
                "coffer.conductor.consumers", Integer.toString(consumers),
                "quarkus.log.category.\"io.coffer\".level", "WARN"))
        .awaitReady("http://127.0.0.1:" + port + "/q/health/ready", Duration.ofSeconds(60));
  }

  /** The Prometheus samples of a daemon: {@code name{labels}} to value. */
  static Map<String, Double> metrics(int port) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Map<String, Double> out = new HashMap<>();
      for (String line : r.body().split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int space = line.lastIndexOf(' ');
        out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Heartbeats the conductor counted with this outcome. */
  static double reports(Map<String, Double> metrics, String outcome) {
    return metrics.getOrDefault(
        "coffer_conductor_reports_total{method=\"heartbeat\",outcome=\"" + outcome + "\"}", 0.0);
  }

  /** The cumulative lag histogram: upper bound in seconds to count. */
  static TreeMap<Double, Double> lagBuckets(Map<String, Double> metrics) {
    TreeMap<Double, Double> out = new TreeMap<>();
    String prefix = "coffer_conductor_lag_seconds_bucket{le=\"";
    metrics.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            String le = k.substring(prefix.length(), k.indexOf('"', prefix.length()));
            out.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), v);
          }
        });
    return out;
  }

  /**
   * The {@code q} quantile of the lag recorded between two scrapes, as the upper bound of the
   * histogram bucket it falls in.
   */
  static double lagQuantile(
      TreeMap<Double, Double> before, TreeMap<Double, Double> after, double q) {
    double total = after.lastEntry().getValue() - before.getOrDefault(after.lastKey(), 0.0);
    if (total <= 0) {
      return Double.NaN;
    }
    for (Map.Entry<Double, Double> b : after.entrySet()) {
      double count = b.getValue() - before.getOrDefault(b.getKey(), 0.0);
      if (count >= q * total) {
        return b.getKey();
      }
    }
    return Double.POSITIVE_INFINITY;
  }

  /** Publishes to the conductor topic with publisher confirms, as fast as the broker takes it. */
  static final class Guests implements AutoCloseable {
    private final Connection connection;
    private final Channel channel;
    private final String topic;
    private final AMQP.BasicProperties props =
        new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2).build();
    private int unconfirmed;

    Guests(String topic) {
      this.topic = topic;
      try {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(TestEnv.rabbitHost());
        f.setPort(TestEnv.rabbitPort());
        f.setUsername(TestEnv.rabbitUser());
        f.setPassword(TestEnv.rabbitPassword());
        f.setVirtualHost(TestEnv.rabbitVhost());
        connection = f.newConnection("coffer-simulated-guests");
        channel = connection.createChannel();
        channel.confirmSelect();
      } catch (IOException | TimeoutException e) {
        throw new IllegalStateException("cannot reach RabbitMQ", e);
      }
    }

    void publish(byte[] body) {
      try {
        channel.basicPublish(TestEnv.exchange(), topic, props, body);
        if (++unconfirmed >= 1000) {
          confirm();
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Waits until the broker confirmed everything published so far. */
    void confirm() {
      try {
        channel.waitForConfirmsOrDie(30_000);
        unconfirmed = 0;
      } catch (IOException | TimeoutException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** Messages ready in the topic's queue (not delivered to a consumer). */
    long ready() {
      try (Channel ch = connection.createChannel()) {
        return ch.queueDeclarePassive(topic).getMessageCount();
      } catch (IOException | TimeoutException e) {
        throw new IllegalStateException(e);
      }
    }

    /** Drops what is in the topic's queue. */
    void purge() {
      try (Channel ch = connection.createChannel()) {
        ch.queuePurge(topic);
      } catch (IOException | TimeoutException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      try {
        connection.close(5_000);
      } catch (IOException | RuntimeException e) {
        // nothing left to publish
      }
    }
  }
}
