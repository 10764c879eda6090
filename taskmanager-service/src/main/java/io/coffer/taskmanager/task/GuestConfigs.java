package io.coffer.taskmanager.task;

import io.coffer.bus.BusConfig;
import io.coffer.model.config.DatastoreDefaults;
import io.coffer.model.routing.Topics;
import io.coffer.model.secure.Aead;
import io.coffer.persistence.entity.InstanceEntity;
import io.coffer.persistence.security.InstanceKeys;
import io.coffer.storage.SwiftStorage;
import io.coffer.storage.openstack.OpenStackAccount;
import io.coffer.taskmanager.backup.Storage;
import io.coffer.taskmanager.broker.BrokerUsers;
import io.coffer.taskmanager.config.TaskManagerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * The guest configuration of an instance (Trove's guest_info.conf): who it is, where the bus is.
 */
@ApplicationScoped
class GuestConfigs {

  private final BusConfig bus;
  private final TaskManagerConfig config;
  private final Storage storage;

  private final InstanceKeys keys;
  private final BrokerUsers brokerUsers;

  GuestConfigs(
      BusConfig bus,
      TaskManagerConfig config,
      Storage storage,
      InstanceKeys keys,
      BrokerUsers brokerUsers) {
    this.bus = bus;
    this.config = config;
    this.storage = storage;
    this.keys = keys;
    this.brokerUsers = brokerUsers;
  }

  Map<String, String> of(InstanceEntity i, String manager, String version) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("coffer.guest.instance-id", i.id);
    m.put("coffer.guest.tenant-id", i.tenantId);
    Optional<SecretKey> key = keys.fromStored(i.id, i.encryptedKey);
    key.ifPresent(k -> m.put("coffer.guest.message-key", Aead.encode(k)));
    m.put("coffer.guest.datastore-manager", manager);
    m.put("coffer.guest.datastore-version", version);
    m.put("coffer.guest.port", Integer.toString(DatastoreDefaults.port(manager)));
    m.put("coffer.guest.heartbeat-interval", config.guestHeartbeatInterval().toSeconds() + "s");
    m.put(
        "coffer.guest.wal-archive-interval",
        Math.max(1, config.guestWalArchiveInterval().toSeconds()) + "s");
    m.put("coffer.guest.backup-storage", storage.kind());
    if (SwiftStorage.KIND.equals(storage.kind())) {
      OpenStackAccount a = storage.swiftAccount();
      String p = "coffer.guest.backup-swift.";
      m.put(p + "auth-url", a.authUrl());
      m.put(p + "username", a.username());
      m.put(p + "password", a.password());
      m.put(p + "user-domain", a.userDomain());
      m.put(p + "project", a.project());
      m.put(p + "project-domain", a.projectDomain());
      a.region().ifPresent(r -> m.put(p + "region", r));
      m.put(p + "endpoint-interface", a.endpointInterface());
      m.put(p + "container", storage.swiftSettings().container());
      m.put(p + "segment-bytes", Integer.toString(storage.swiftSettings().segmentBytes()));
    } else {
      m.put("coffer.guest.backup-path", storage.path().toAbsolutePath().toString());
    }
    m.put("coffer.guest.backup-timeout", config.backup().timeout().toSeconds() + "s");
    m.put("coffer.bus.host", bus.host());
    m.put("coffer.bus.port", Integer.toString(bus.port()));
    if (brokerUsers.enabled()) {
      // a broker user of its own: its queue, reports to the conductor, replies; nothing else
      BrokerUsers.Credentials own = brokerUsers.create(i.id, key);
      m.put("coffer.bus.username", own.username());
      m.put("coffer.bus.password", own.password());
      m.put("coffer.bus.declare-topology", "false");
      m.put("coffer.bus.reply-exchange", Topics.REPLY_EXCHANGE);
    } else {
      m.put("coffer.bus.username", bus.username());
      m.put("coffer.bus.password", bus.password());
    }
    m.put("coffer.bus.virtual-host", bus.virtualHost());
    m.put("coffer.bus.exchange", bus.exchange());
    m.put("coffer.bus.conductor-topic", bus.conductorTopic());
    return m;
  }
}
