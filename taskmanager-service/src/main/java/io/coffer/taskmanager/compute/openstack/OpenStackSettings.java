package io.coffer.taskmanager.compute.openstack;

import io.coffer.storage.openstack.OpenStackAccount;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the {@code openstack} compute driver needs to know about the cloud (from {@code
 * coffer.taskmanager.openstack.*}, see docs/CONFIGURATION.md).
 *
 * @param account the service account and the project the servers are made in
 * @param network the tenant network the databases are reached on
 * @param managementNetworks further networks the guests reach the bus on
 * @param floatingNetwork external network for floating IPs of public instances, optional
 * @param imageId the image booted when a datastore version names none and has no tags, optional
 * @param volumeType volume type when the request names none, optional
 * @param availabilityZone availability zone when the request names none, optional
 * @param serverTimeout longest wait for a server to become ACTIVE (or to resize, reboot)
 * @param volumeTimeout longest wait for a volume to become available (or to extend)
 * @param deleteTimeout longest wait for a server and its volume to go
 * @param pollInterval pause between status polls
 * @param guestBusHost the broker's host as the servers reach it, optional (default: the bus host)
 * @param guestConfigPath where cloud-init writes the guest configuration on the server
 * @param guestService the systemd unit of the guest agent in the image
 * @param datastorePorts ports opened in the security group, by datastore manager
 */
public record OpenStackSettings(
    OpenStackAccount account,
    String network,
    List<String> managementNetworks,
    Optional<String> floatingNetwork,
    Optional<String> imageId,
    Optional<String> volumeType,
    Optional<String> availabilityZone,
    Duration serverTimeout,
    Duration volumeTimeout,
    Duration deleteTimeout,
    Duration pollInterval,
    Optional<String> guestBusHost,
    String guestConfigPath,
    String guestService,
    Map<String, List<Integer>> datastorePorts) {

  /** The ports of a datastore (its default port when not configured). */
  public List<Integer> portsOf(String manager) {
    List<Integer> ports = datastorePorts.get(manager);
    if (ports != null && !ports.isEmpty()) {
      return ports;
    }
    return "postgresql".equals(manager) ? List.of(5432) : List.of(3306);
  }

  @Override
  public String toString() {
    return "OpenStackSettings[" + account + ", network=" + network + "]";
  }
}
