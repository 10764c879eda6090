package io.coffer.guest.datastore;

import io.coffer.guest.config.GuestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.List;
import java.util.TreeSet;

/** The engine of this guest's datastore manager, as the RPC handlers and heartbeats see it. */
@ApplicationScoped
public class Datastore {

  private final Engine engine;
  private final List<String> supported;

  Datastore(Instance<Engine> engines, GuestConfig config) {
    List<Engine> all = engines.stream().toList();
    TreeSet<String> names = new TreeSet<>();
    all.forEach(e -> names.addAll(e.managers()));
    this.supported = List.copyOf(names);
    this.engine =
        all.stream().filter(e -> e.serves(config.datastoreManager())).findFirst().orElse(null);
  }

  /** The managers some engine of this guest agent serves. */
  public List<String> supported() {
    return supported;
  }

  /** Whether this guest has an engine for its instance's manager. */
  public boolean available() {
    return engine != null;
  }

  private Engine engine() {
    if (engine == null) {
      throw new GuestError("NotSupported", "this guest agent has no engine for its datastore");
    }
    return engine;
  }

  /** Server lifecycle. */
  public ServerLifecycle lifecycle() {
    return engine().lifecycle();
  }

  /** Configuration groups. */
  public ServerConfiguration configuration() {
    return engine().configuration();
  }

  /** Databases, users, grants and root. */
  public DatabaseAdmin admin() {
    return engine().admin();
  }

  /** Backups. */
  public BackupAgent backups() {
    return engine().backups();
  }

  /** Replication. */
  public ReplicationAgent replication() {
    return engine().replication();
  }

  /** The engine's tenant logs. */
  public EngineLogs logs() {
    return engine().logs();
  }
}
