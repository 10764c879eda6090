package io.coffer.taskmanager.compute;

import io.coffer.model.common.AccessInfo;
import io.coffer.model.common.FlavorInfo;
import java.util.Map;

/**
 * What a compute driver creates: a server for one instance, with its volume, placement hints and
 * the guest configuration its guest agent starts with (Trove's guest_info.conf).
 *
 * @param instanceId the instance
 * @param name the instance name
 * @param flavor the flavor
 * @param volumeSize volume in GB
 * @param volumeType volume type, optional
 * @param datastoreManager datastore manager
 * @param datastoreVersion datastore version number
 * @param imageId image to boot (drivers with images)
 * @param availabilityZone availability zone, optional
 * @param locality affinity or anti-affinity, optional
 * @param groupId the instance that names the server group (a replica's source), optional
 * @param access network access
 * @param guestConfig guest configuration entries (secrets included; never logged)
 */
public record ServerSpec(
    String instanceId,
    String name,
    FlavorInfo flavor,
    int volumeSize,
    String volumeType,
    String datastoreManager,
    String datastoreVersion,
    String imageId,
    String availabilityZone,
    String locality,
    String groupId,
    AccessInfo access,
    Map<String, String> guestConfig) {

  @Override
  public String toString() {
    return "ServerSpec[instance="
        + instanceId
        + ", flavor="
        + (flavor == null ? null : flavor.id())
        + "]";
  }
}
