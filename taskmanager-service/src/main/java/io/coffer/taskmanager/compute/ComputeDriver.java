package io.coffer.taskmanager.compute;

import io.coffer.model.common.AccessInfo;
import io.coffer.model.common.FlavorInfo;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Creates, inspects, resizes and deletes the server of an instance, and starts its guest agent with
 * the guest configuration. Every method is idempotent: a repeated call (a redelivered task) finds
 * the work done and returns. The lifecycle code never knows which driver runs.
 */
public interface ComputeDriver {

  /** The driver's name ({@code local}, {@code openstack}). */
  String name();

  /** Creates the server (or returns the one that exists) and starts its guest agent. */
  Server create(ServerSpec spec);

  /** The server of an instance, if it exists. */
  Optional<Server> find(String instanceId);

  /** Restarts the server: the guest agent and the database come back up. */
  void reboot(String instanceId);

  /** Gives the server another flavor; the guest applies the new memory settings on restart. */
  void resize(String instanceId, FlavorInfo flavor);

  /** Grows the server's volume to {@code sizeGb}. */
  void resizeVolume(String instanceId, int sizeGb);

  /**
   * Applies new network access: who may connect to the database, and whether the server has a
   * public address. The local driver's servers listen on loopback addresses of this host: nothing
   * to apply there.
   */
  default void updateAccess(String instanceId, String datastoreManager, AccessInfo access) {}

  /** Deletes the server and everything it owns; a missing server is not an error. */
  void delete(String instanceId);

  /** Instances that have a server (for the orphan sweep). */
  Set<String> instances();

  /**
   * The flavors the cloud offers when it has its own (Nova's); empty when Coffer's flavor table is
   * the list.
   */
  default Optional<List<FlavorInfo>> flavors() {
    return Optional.empty();
  }

  /** The kinds of volume the driver offers; a create may name one. */
  List<VolumeTypeInfo> volumeTypes();

  /**
   * Whether the instance's database server serves: its server exists, runs, and the database
   * answers on its address in its own protocol. Automatic failover acts on a silent source only
   * when this says no: a guest agent that is merely stuck does not move the source.
   */
  default boolean serving(String instanceId, String manager, Duration timeout) {
    return find(instanceId)
        .filter(s -> !"SHUTOFF".equals(s.status()) && !"ERROR".equals(s.status()))
        .flatMap(s -> s.addresses().stream().findFirst())
        .map(a -> ServerProbe.answers(a.address(), manager, timeout))
        .orElse(false);
  }

  /**
   * Fences an instance whose server stopped serving before another takes its place: its database
   * server and guest stop (whatever is left of them), its data stays, and when its guest starts
   * again it does not start the database server by itself — it waits to rejoin as a replica.
   */
  void fence(String instanceId);

  /** Lets a fenced instance's guest start its database server again (it rejoined as a replica). */
  default void unfence(String instanceId) {}

  /**
   * Starts a fenced instance's guest again where the driver can (its database server stays down
   * until the instance rejoins as a replica); false where the server has to be brought back from
   * outside (a Nova server stopped by the fence).
   */
  default boolean bringBack(String instanceId) {
    return false;
  }
}
