package io.coffer.taskmanager.compute;

import java.util.List;

/**
 * A server as its driver sees it.
 *
 * @param serverId the driver's id of the server
 * @param status {@code BUILD}, {@code ACTIVE}, {@code SHUTDOWN}, {@code ERROR} or {@code DELETED}
 * @param addresses addresses clients connect to
 * @param volumeId the driver's id of the volume, if any
 */
public record Server(String serverId, String status, List<Address> addresses, String volumeId) {

  /**
   * One address of a server.
   *
   * @param address the IP address
   * @param type {@code private} or {@code public}
   * @param network network id, optional
   */
  public record Address(String address, String type, String network) {}
}
