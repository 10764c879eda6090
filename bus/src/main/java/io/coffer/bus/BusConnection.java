package io.coffer.bus;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.impl.recovery.RecordedBinding;
import com.rabbitmq.client.impl.recovery.RecordedConsumer;
import com.rabbitmq.client.impl.recovery.RecordedEntity;
import com.rabbitmq.client.impl.recovery.RecordedExchange;
import com.rabbitmq.client.impl.recovery.RecordedQueue;
import com.rabbitmq.client.impl.recovery.TopologyRecoveryFilter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The daemon's one connection to RabbitMQ. It connects at startup, keeps trying in the background
 * while the broker is unreachable, and recovers (connection, channels, queues, bindings, consumers)
 * after the broker restarts.
 */
@ApplicationScoped
public class BusConnection {

  private static final Logger LOG = Logger.getLogger(BusConnection.class);

  private final BusConfig config;
  private final String applicationName;
  private final List<Consumer<Connection>> onConnect = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private volatile Connection connection;
  private volatile boolean closing;
  private volatile boolean recovering;
  private ExecutorService dispatch;
  private Thread connector;

  BusConnection(
      BusConfig config,
      @ConfigProperty(name = "quarkus.application.name", defaultValue = "coffer")
          String applicationName) {
    this.config = config;
    this.applicationName = applicationName;
  }

  void onStart(@Observes StartupEvent event) {
    start();
  }

  void onStop(@Observes ShutdownEvent event) {
    close();
  }

  /** Starts connecting in the background, once. */
  public void start() {
    synchronized (lock) {
      if (connector != null || closing || !config.enabled()) {
        return;
      }
      dispatch = Executors.newCachedThreadPool(threads("coffer-bus-"));
      connector = threads("coffer-bus-connect-").newThread(this::connectLoop);
      connector.start();
    }
  }

  private void connectLoop() {
    while (!closing && connection == null) {
      try {
        Connection c = factory().newConnection(config.connectionName().orElse(applicationName));
        ((Recoverable) c).addRecoveryListener(recoveryListener());
        if (config.declareTopology()) {
          try (Channel ch = c.createChannel()) {
            Topology.declareBase(ch, config);
          }
        }
        connection = c;
        LOG.infof(
            "bus connected to %s:%d, virtual host %s, exchange %s",
            config.host(), config.port(), config.virtualHost(), config.exchange());
        for (Consumer<Connection> listener : onConnect) {
          runListener(listener, c);
        }
      } catch (IOException | TimeoutException | RuntimeException e) {
        LOG.warnf(
            "bus: cannot reach RabbitMQ at %s:%d (%s); retrying in %s",
            config.host(), config.port(), e.getMessage(), config.reconnectInterval());
        sleep(config.reconnectInterval().toMillis());
      }
    }
  }

  private static void runListener(Consumer<Connection> listener, Connection c) {
    try {
      listener.accept(c);
    } catch (RuntimeException e) {
      LOG.error("bus: connect listener failed", e);
    }
  }

  private RecoveryListener recoveryListener() {
    return new RecoveryListener() {
      @Override
      public void handleRecoveryStarted(Recoverable recoverable) {
        recovering = true;
        LOG.warn("bus: connection lost, recovering");
      }

      @Override
      public void handleRecovery(Recoverable recoverable) {
        recovering = false;
        LOG.info("bus: connection recovered");
      }
    };
  }

  private ConnectionFactory factory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(config.host());
    f.setPort(config.port());
    f.setUsername(config.username());
    f.setPassword(config.password());
    f.setVirtualHost(config.virtualHost());
    f.setRequestedHeartbeat((int) config.heartbeat().toSeconds());
    f.setAutomaticRecoveryEnabled(true);
    f.setTopologyRecoveryEnabled(true);
    f.setTopologyRecoveryFilter(new OpenChannelsOnly());
    f.setNetworkRecoveryInterval(config.reconnectInterval().toMillis());
    f.setSharedExecutor(dispatch);
    f.setConnectionTimeout(10_000);
    return f;
  }

  /**
   * Runs {@code listener} with the connection now if connected, else as soon as the first
   * connection is made. After that, the client library recovers what the listener declared.
   */
  public void whenConnected(Consumer<Connection> listener) {
    onConnect.add(listener);
    Connection c = connection;
    if (c != null) {
      runListener(listener, c);
    }
  }

  /** True while the connection is open (not while it recovers). */
  public boolean isOpen() {
    Connection c = connection;
    return c != null && c.isOpen() && !recovering;
  }

  /**
   * Opens a channel.
   *
   * @throws BusUnavailableException when the broker cannot be reached
   */
  public Channel createChannel() {
    Connection c = connection;
    if (c == null || !c.isOpen()) {
      throw new BusUnavailableException("the message bus is not connected", null);
    }
    try {
      Channel ch = c.createChannel();
      if (ch == null) {
        throw new BusUnavailableException("no channel available on the message bus", null);
      }
      return ch;
    } catch (IOException | RuntimeException e) {
      throw new BusUnavailableException("cannot open a channel: " + e.getMessage(), e);
    }
  }

  /** The bus settings. */
  public BusConfig config() {
    return config;
  }

  /** Closes the connection; consumers stop. */
  public void close() {
    closing = true;
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close(5_000);
      } catch (IOException | RuntimeException e) {
        LOG.debugf("bus: close: %s", e.getMessage());
      }
    }
    if (dispatch != null) {
      dispatch.shutdownNow();
    }
  }

  /**
   * Recovers only what was declared on channels still in use (consumers, the reply queue).
   * Short-lived declaration channels are closed by then, and what they declared is durable.
   */
  private static final class OpenChannelsOnly implements TopologyRecoveryFilter {
    private static boolean open(RecordedEntity e) {
      return e.getChannel() != null && e.getChannel().isOpen();
    }

    @Override
    public boolean filterExchange(RecordedExchange e) {
      return open(e);
    }

    @Override
    public boolean filterQueue(RecordedQueue q) {
      return open(q);
    }

    @Override
    public boolean filterBinding(RecordedBinding b) {
      return open(b);
    }

    @Override
    public boolean filterConsumer(RecordedConsumer c) {
      return open(c);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
