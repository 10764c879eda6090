package io.coffer.taskmanager.compute.openstack;

import io.coffer.model.common.AccessInfo;
import io.coffer.model.common.FlavorInfo;
import io.coffer.storage.openstack.OpenStackSession;
import io.coffer.taskmanager.compute.ComputeDriver;
import io.coffer.taskmanager.compute.Server;
import io.coffer.taskmanager.compute.ServerSpec;
import io.coffer.taskmanager.compute.VolumeTypeInfo;
import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openstack4j.api.Builders;
import org.openstack4j.api.OSClient.OSClientV3;
import org.openstack4j.api.exceptions.ResponseException;
import org.openstack4j.model.common.ActionResponse;
import org.openstack4j.model.compute.BDMDestType;
import org.openstack4j.model.compute.BDMSourceType;
import org.openstack4j.model.compute.RebootType;
import org.openstack4j.model.compute.ServerCreate;
import org.openstack4j.model.compute.ServerGroup;
import org.openstack4j.model.compute.builder.ServerCreateBuilder;
import org.openstack4j.model.network.NetFloatingIP;
import org.openstack4j.model.network.Port;
import org.openstack4j.model.network.SecurityGroup;
import org.openstack4j.model.network.builder.PortBuilder;
import org.openstack4j.model.network.options.PortListOptions;
import org.openstack4j.model.storage.block.Volume;

/**
 * The {@code openstack} compute driver: a server is a Nova server booted from the datastore
 * version's Glance image, with a Cinder volume for the data, a Neutron port on the tenant network
 * (and one per management network) in a security group of its own, and cloud-init user-data that
 * writes the guest configuration and starts the guest agent — Trove's layout. Every resource is
 * named after the instance, so a repeated call finds what an earlier one made and the orphan sweep
 * finds what no live instance owns:
 *
 * <pre>
 * server, volume, ports   coffer-&lt;instance-id&gt;
 * security group          coffer_sg-&lt;instance-id&gt;
 * server group            coffer-&lt;id of the instance that started the group&gt;
 * </pre>
 */
public class OpenStackComputeDriver implements ComputeDriver {

  static final String PREFIX = "coffer-";
  static final String SG_PREFIX = "coffer_sg-";
  private static final Pattern OWNED =
      Pattern.compile("^coffer(?:_sg)?-([0-9a-fA-F]{8}-[0-9a-fA-F-]{27})$");

  private final OpenStackSettings settings;
  private final OpenStackSession clients;
  private final Function<ServerSpec, List<String>> imageTags;

  /**
   * @param imageTags the Glance tags of the datastore version of a spec (Trove's image_tags)
   */
  public OpenStackComputeDriver(
      OpenStackSettings settings,
      OpenStackSession clients,
      Function<ServerSpec, List<String>> imageTags) {
    this.settings = settings;
    this.clients = clients;
    this.imageTags = imageTags;
  }

  @Override
  public String name() {
    return "openstack";
  }

  // --- create

  @Override
  public Server create(ServerSpec spec) {
    String id = spec.instanceId();
    OSClientV3 os = clients.client();
    Optional<org.openstack4j.model.compute.Server> existing = novaServer(os, id);
    if (existing.isPresent()) {
      // a repeated create: the server was booted before
      return toServer(os, id, awaitActive(os, existing.get().getId(), "to boot"));
    }
    SecurityGroup group = securityGroup(os, spec);
    List<Port> ports = ports(os, id, group);
    Volume volume = volume(os, spec);
    String image = image(os, spec);
    ServerCreateBuilder b =
        Builders.server()
            .name(PREFIX + id)
            .flavor(spec.flavor().id())
            .image(image)
            .userData(userData(spec))
            .addMetadataItem("coffer_instance_id", id)
            .blockDevice(
                Builders.blockDeviceMapping()
                    .uuid(volume.getId())
                    .sourceType(BDMSourceType.VOLUME)
                    .destinationType(BDMDestType.VOLUME)
                    .bootIndex(-1)
                    .deleteOnTermination(false)
                    .build());
    ports.forEach(p -> b.addNetworkPort(p.getId()));
    Optional.ofNullable(spec.availabilityZone())
        .or(settings::availabilityZone)
        .ifPresent(b::availabilityZone);
    serverGroup(os, spec).ifPresent(g -> b.addSchedulerHint("group", g));
    ServerCreate create = b.build();
    org.openstack4j.model.compute.Server booted;
    try {
      booted = os.compute().servers().boot(create);
    } catch (ResponseException e) {
      throw new IllegalStateException("Nova refused the server: " + e.getMessage(), e);
    }
    if (booted == null || booted.getId() == null) {
      throw new IllegalStateException("Nova returned no server for " + PREFIX + id);
    }
    Log.infof("instance %s: server %s booting from image %s", id, booted.getId(), image);
    org.openstack4j.model.compute.Server active = awaitActive(os, booted.getId(), "to boot");
    floatingIp(os, spec, ports);
    Server server = toServer(os, id, active);
    // a token the client renewed on the way serves the other threads too
    clients.remember(os);
    return server;
  }

  private SecurityGroup securityGroup(OSClientV3 os, ServerSpec spec) {
    String name = SG_PREFIX + spec.instanceId();
    List<? extends SecurityGroup> found =
        os.networking().securitygroup().list(Map.of("name", name));
    if (!found.isEmpty()) {
      return found.get(0);
    }
    SecurityGroup sg =
        os.networking()
            .securitygroup()
            .create(
                Builders.securityGroup()
                    .name(name)
                    .description("Coffer instance " + spec.instanceId())
                    .build());
    addRules(os, sg.getId(), spec.datastoreManager(), spec.access());
    return sg;
  }

  /** Opens the datastore's ports to the allowed CIDRs (to everyone when none are given). */
  private void addRules(OSClientV3 os, String groupId, String manager, AccessInfo access) {
    List<String> cidrs =
        access == null || access.allowedCidrs() == null || access.allowedCidrs().isEmpty()
            ? List.of("0.0.0.0/0")
            : access.allowedCidrs();
    for (int port : settings.portsOf(manager)) {
      for (String cidr : cidrs) {
        os.networking()
            .securityrule()
            .create(
                Builders.securityGroupRule()
                    .securityGroupId(groupId)
                    .direction("ingress")
                    .ethertype(cidr.contains(":") ? "IPv6" : "IPv4")
                    .protocol("tcp")
                    .portRangeMin(port)
                    .portRangeMax(port)
                    .remoteIpPrefix(cidr)
                    .build());
      }
    }
  }

  private List<Port> ports(OSClientV3 os, String id, SecurityGroup group) {
    List<String> networks = new ArrayList<>();
    networks.add(settings.network());
    networks.addAll(settings.managementNetworks());
    List<? extends Port> existing = instancePorts(os, id);
    List<Port> ports = new ArrayList<>();
    for (String network : networks) {
      Optional<? extends Port> found =
          existing.stream().filter(p -> network.equals(p.getNetworkId())).findFirst();
      if (found.isPresent()) {
        ports.add(found.get());
        continue;
      }
      PortBuilder port = Builders.port().name(PREFIX + id).networkId(network);
      if (network.equals(settings.network())) {
        // the database is reached on the tenant network: only there the instance's rules apply
        port.securityGroup(group.getId());
      }
      ports.add(os.networking().port().create(port.build()));
    }
    return ports;
  }

  private List<? extends Port> instancePorts(OSClientV3 os, String id) {
    return os.networking().port().list(PortListOptions.create().name(PREFIX + id));
  }

  private Volume volume(OSClientV3 os, ServerSpec spec) {
    String name = PREFIX + spec.instanceId();
    List<? extends Volume> found = os.blockStorage().volumes().list(Map.of("name", name));
    Volume v;
    if (!found.isEmpty()) {
      v = found.get(0);
    } else {
      var b = Builders.volume().name(name).size(spec.volumeSize());
      Optional.ofNullable(spec.volumeType()).or(settings::volumeType).ifPresent(b::volumeType);
      Optional.ofNullable(spec.availabilityZone())
          .or(settings::availabilityZone)
          .ifPresent(b::zone);
      try {
        v = os.blockStorage().volumes().create(b.build());
      } catch (ResponseException e) {
        throw new IllegalStateException("Cinder refused the volume: " + e.getMessage(), e);
      }
      if (v == null || v.getId() == null) {
        throw new IllegalStateException("Cinder returned no volume for " + name);
      }
    }
    String volumeId = v.getId();
    return await(
        "volume " + volumeId + " to become available",
        settings.volumeTimeout(),
        () -> os.blockStorage().volumes().get(volumeId),
        x -> x != null && x.getStatus() == Volume.Status.AVAILABLE,
        x ->
            x == null
                ? "the volume is gone"
                : x.getStatus() == Volume.Status.ERROR ? "the volume went to error" : null);
  }

  private String image(OSClientV3 os, ServerSpec spec) {
    return GlanceImages.choose(
        os,
        spec.imageId(),
        imageTags.apply(spec),
        settings.imageId(),
        spec.datastoreManager() + " " + spec.datastoreVersion());
  }

  /** The server group for {@code locality}: named after the instance that started it. */
  private Optional<String> serverGroup(OSClientV3 os, ServerSpec spec) {
    if (spec.locality() == null || spec.locality().isBlank()) {
      return Optional.empty();
    }
    String name = PREFIX + (spec.groupId() == null ? spec.instanceId() : spec.groupId());
    for (ServerGroup g : os.compute().serverGroups().list()) {
      if (name.equals(g.getName())) {
        return Optional.of(g.getId());
      }
    }
    return Optional.of(os.compute().serverGroups().create(name, spec.locality()).getId());
  }

  private void floatingIp(OSClientV3 os, ServerSpec spec, List<Port> ports) {
    boolean wanted = spec.access() != null && Boolean.TRUE.equals(spec.access().isPublic());
    if (!wanted || settings.floatingNetwork().isEmpty() || ports.isEmpty()) {
      return;
    }
    floatingIp(os, ports.get(0).getId());
  }

  private void floatingIp(OSClientV3 os, String port) {
    if (!os.networking().floatingip().list(Map.of("port_id", port)).isEmpty()) {
      return;
    }
    os.networking()
        .floatingip()
        .create(
            Builders.netFloatingIP()
                .floatingNetworkId(settings.floatingNetwork().get())
                .portId(port)
                .build());
  }

  /** cloud-init user-data: the guest configuration, the data volume mounted, the guest started. */
  String userData(ServerSpec spec) {
    Properties p = new Properties();
    p.putAll(spec.guestConfig());
    settings.guestBusHost().ifPresent(h -> p.setProperty("coffer.bus.host", h));
    p.setProperty("coffer.guest.data-dir", GUEST_DATA_DIR);
    p.setProperty("coffer.guest.bind-address", "0.0.0.0");
    p.setProperty("quarkus.http.host", "0.0.0.0");
    p.setProperty("coffer.guest.volume-size", Integer.toString(spec.volumeSize()));
    if (spec.flavor() != null && spec.flavor().ram() != null) {
      p.setProperty("coffer.guest.memory-mb", Integer.toString(spec.flavor().ram()));
    }
    StringWriter config = new StringWriter();
    try {
      p.store(config, null);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String content =
        Base64.getEncoder().encodeToString(config.toString().getBytes(StandardCharsets.UTF_8));
    String cloudConfig =
        "#cloud-config\n"
            + "fs_setup:\n"
            + "  - device: "
            + VOLUME_DEVICE
            + "\n    filesystem: ext4\n    overwrite: false\n"
            + "mounts:\n"
            + "  - [\""
            + VOLUME_DEVICE
            + "\", \""
            + GUEST_DATA_DIR
            + "\", ext4, \"defaults,nofail\", \"0\", \"2\"]\n"
            + "write_files:\n"
            + "  - path: "
            + settings.guestConfigPath()
            + "\n    permissions: '0600'\n    encoding: b64\n    content: "
            + content
            + "\n"
            + "runcmd:\n"
            + "  - [systemctl, enable, --now, "
            + settings.guestService()
            + "]\n";
    return Base64.getEncoder().encodeToString(cloudConfig.getBytes(StandardCharsets.UTF_8));
  }

  /** Where the data volume is mounted on the server (the guest's data directory). */
  static final String GUEST_DATA_DIR = "/var/lib/coffer";

  /** The device the data volume appears as (the first volume after the root disk). */
  static final String VOLUME_DEVICE = "/dev/vdb";

  private Server toServer(OSClientV3 os, String id, org.openstack4j.model.compute.Server s) {
    // the tenant network's addresses (and floating IPs): management networks are not the tenant's
    // to see, as in Trove
    List<Server.Address> addresses = new ArrayList<>();
    for (Port p : instancePorts(os, id)) {
      if (!settings.network().equals(p.getNetworkId())) {
        continue;
      }
      if (p.getFixedIps() != null) {
        p.getFixedIps()
            .forEach(
                ip ->
                    addresses.add(
                        new Server.Address(ip.getIpAddress(), "private", p.getNetworkId())));
      }
      for (NetFloatingIP f : os.networking().floatingip().list(Map.of("port_id", p.getId()))) {
        addresses.add(
            new Server.Address(f.getFloatingIpAddress(), "public", f.getFloatingNetworkId()));
      }
    }
    String volume =
        os.blockStorage().volumes().list(Map.of("name", PREFIX + id)).stream()
            .findFirst()
            .map(Volume::getId)
            .orElse(null);
    return new Server(s.getId(), status(s), addresses, volume);
  }

  private static String status(org.openstack4j.model.compute.Server s) {
    return switch (s.getStatus()) {
      case ACTIVE -> "ACTIVE";
      case BUILD, REBOOT, HARD_REBOOT, RESIZE, VERIFY_RESIZE, MIGRATING, REBUILD -> "BUILD";
      case ERROR -> "ERROR";
      case DELETED -> "DELETED";
      default -> "SHUTDOWN";
    };
  }

  private Optional<org.openstack4j.model.compute.Server> novaServer(OSClientV3 os, String id) {
    // Nova's name filter is a regular expression
    return os.compute().servers().list(Map.of("name", "^" + PREFIX + id + "$")).stream()
        .filter(s -> (PREFIX + id).equals(s.getName()))
        .filter(s -> s.getStatus() != org.openstack4j.model.compute.Server.Status.DELETED)
        .map(s -> (org.openstack4j.model.compute.Server) s)
        .findFirst();
  }

  private org.openstack4j.model.compute.Server awaitActive(
      OSClientV3 os, String serverId, String what) {
    return await(
        "server " + serverId + " " + what,
        settings.serverTimeout(),
        () -> os.compute().servers().get(serverId),
        s -> s != null && s.getStatus() == org.openstack4j.model.compute.Server.Status.ACTIVE,
        OpenStackComputeDriver::serverFailure);
  }

  /** Why a server failed (its Nova fault), or null while it may still succeed. */
  private static String serverFailure(org.openstack4j.model.compute.Server s) {
    if (s == null) {
      return "the server is gone";
    }
    if (s.getStatus() == org.openstack4j.model.compute.Server.Status.ERROR) {
      return "Nova put the server in ERROR"
          + (s.getFault() == null || s.getFault().getMessage() == null
              ? ""
              : ": " + s.getFault().getMessage());
    }
    return null;
  }

  /**
   * Polls until {@code done}, or fails with the reason {@code failed} gives, or at the deadline.
   */
  private <T> T await(
      String what,
      Duration timeout,
      Supplier<T> poll,
      Predicate<T> done,
      Function<T, String> failed) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      T value = poll.get();
      if (done.test(value)) {
        return value;
      }
      String failure = failed.apply(value);
      if (failure != null) {
        throw new IllegalStateException(failure);
      }
      if (System.nanoTime() > end) {
        throw new IllegalStateException(
            "timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      sleep(settings.pollInterval());
    }
  }

  // --- find, reboot, resize

  @Override
  public Optional<Server> find(String instanceId) {
    OSClientV3 os = clients.client();
    return novaServer(os, instanceId).map(s -> toServer(os, instanceId, s));
  }

  @Override
  public void reboot(String instanceId) {
    OSClientV3 os = clients.client();
    org.openstack4j.model.compute.Server s = require(os, instanceId);
    check(os.compute().servers().reboot(s.getId(), RebootType.SOFT), "reboot");
    // Nova turns the server REBOOT shortly after accepting the action
    awaitActive(os, s.getId(), "to reboot");
  }

  /**
   * Stops the Nova server (its disk and volume stay). Coffer does not start it again by itself;
   * started from outside Coffer, its guest would start the database as it was, so only a restart
   * through Coffer should bring it back.
   */
  @Override
  public void fence(String instanceId) {
    OSClientV3 os = clients.client();
    Optional<org.openstack4j.model.compute.Server> s = novaServer(os, instanceId);
    if (s.isEmpty()) {
      return;
    }
    if (!"SHUTOFF".equalsIgnoreCase(String.valueOf(s.get().getStatus()))) {
      check(
          os.compute().servers().action(s.get().getId(), org.openstack4j.model.compute.Action.STOP),
          "stop");
    }
    Log.infof("instance %s: fenced (Nova server %s stopped)", instanceId, s.get().getId());
  }

  @Override
  public void resize(String instanceId, FlavorInfo flavor) {
    OSClientV3 os = clients.client();
    org.openstack4j.model.compute.Server s = require(os, instanceId);
    if (flavor.id().equals(s.getFlavorId())
        || (s.getFlavor() != null && flavor.id().equals(s.getFlavor().getId()))) {
      return;
    }
    String serverId = s.getId();
    check(os.compute().servers().resize(serverId, flavor.id()), "resize");
    org.openstack4j.model.compute.Server resized;
    try {
      resized =
          await(
              "server " + serverId + " to resize",
              settings.serverTimeout(),
              () -> os.compute().servers().get(serverId),
              x ->
                  x != null
                      && x.getStatus() == org.openstack4j.model.compute.Server.Status.VERIFY_RESIZE,
              OpenStackComputeDriver::serverFailure);
    } catch (IllegalStateException e) {
      String reverted = revert(os, serverId);
      throw new IllegalStateException("the resize failed (" + e.getMessage() + "); " + reverted, e);
    }
    check(os.compute().servers().confirmResize(resized.getId()), "confirm the resize");
    awaitActive(os, serverId, "to confirm its resize");
  }

  /** Asks Nova to revert a resize; says how that went. */
  private String revert(OSClientV3 os, String serverId) {
    try {
      check(os.compute().servers().revertResize(serverId), "revert the resize");
      awaitActive(os, serverId, "to revert its resize");
      return "reverted to the previous flavor";
    } catch (RuntimeException e) {
      Log.warnf("server %s: resize revert failed: %s", serverId, e.getMessage());
      return "the revert failed too: " + e.getMessage();
    }
  }

  @Override
  public void resizeVolume(String instanceId, int sizeGb) {
    OSClientV3 os = clients.client();
    Volume v =
        os.blockStorage().volumes().list(Map.of("name", PREFIX + instanceId)).stream()
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("instance " + instanceId + " has no volume"));
    if (v.getSize() >= sizeGb) {
      return;
    }
    check(os.blockStorage().volumes().extend(v.getId(), sizeGb), "extend the volume");
    await(
        "volume " + v.getId() + " to extend",
        settings.volumeTimeout(),
        () -> os.blockStorage().volumes().get(v.getId()),
        x -> x != null && x.getSize() >= sizeGb && isSettled(x.getStatus()),
        x ->
            x == null
                ? "the volume is gone"
                : x.getStatus() == Volume.Status.ERROR ? "the volume went to error" : null);
  }

  private static boolean isSettled(Volume.Status status) {
    return status == Volume.Status.AVAILABLE || status == Volume.Status.IN_USE;
  }

  private org.openstack4j.model.compute.Server require(OSClientV3 os, String instanceId) {
    return novaServer(os, instanceId)
        .orElseThrow(() -> new IllegalStateException("instance " + instanceId + " has no server"));
  }

  private static void check(ActionResponse r, String what) {
    if (r != null && !r.isSuccess()) {
      throw new IllegalStateException("Nova refused to " + what + ": " + r.getFault());
    }
  }

  // --- access

  @Override
  public void updateAccess(String instanceId, String datastoreManager, AccessInfo access) {
    OSClientV3 os = clients.client();
    List<? extends SecurityGroup> groups =
        os.networking().securitygroup().list(Map.of("name", SG_PREFIX + instanceId));
    if (groups.isEmpty()) {
      throw new IllegalStateException("instance " + instanceId + " has no security group");
    }
    SecurityGroup group = groups.get(0);
    // the new rules first, then the old ones go: access never closes entirely in between
    List<String> old = new ArrayList<>();
    for (var rule : os.networking().securitygroup().get(group.getId()).getRules()) {
      if ("ingress".equals(rule.getDirection())) {
        old.add(rule.getId());
      }
    }
    addRules(os, group.getId(), datastoreManager, access);
    for (String rule : old) {
      os.networking().securityrule().delete(rule);
    }
    boolean wanted = access != null && Boolean.TRUE.equals(access.isPublic());
    for (Port p : instancePorts(os, instanceId)) {
      if (!settings.network().equals(p.getNetworkId())) {
        continue;
      }
      if (wanted && settings.floatingNetwork().isPresent()) {
        floatingIp(os, p.getId());
      } else if (!wanted) {
        for (NetFloatingIP f : os.networking().floatingip().list(Map.of("port_id", p.getId()))) {
          gone(os.networking().floatingip().delete(f.getId()), "floating IP " + f.getId());
        }
      }
    }
    clients.remember(os);
    Log.infof("instance %s: access updated", instanceId);
  }

  // --- delete

  @Override
  public void delete(String instanceId) {
    OSClientV3 os = clients.client();
    retrying("delete the server of " + instanceId, () -> deleteServer(os, instanceId));
    retrying("delete the ports of " + instanceId, () -> deletePorts(os, instanceId));
    retrying(
        "delete the security group of " + instanceId, () -> deleteSecurityGroup(os, instanceId));
    retrying("delete the volume of " + instanceId, () -> deleteVolume(os, instanceId));
    retrying("delete the server group of " + instanceId, () -> deleteServerGroup(os, instanceId));
    clients.remember(os);
    Log.infof("instance %s: OpenStack resources deleted", instanceId);
  }

  private void deleteServer(OSClientV3 os, String id) {
    Optional<org.openstack4j.model.compute.Server> s = novaServer(os, id);
    if (s.isEmpty()) {
      return;
    }
    String serverId = s.get().getId();
    gone(os.compute().servers().delete(serverId), "server " + serverId);
    await(
        "server " + serverId + " to go",
        settings.deleteTimeout(),
        () -> os.compute().servers().get(serverId),
        x -> x == null || x.getStatus() == org.openstack4j.model.compute.Server.Status.DELETED,
        x -> null);
  }

  private void deletePorts(OSClientV3 os, String id) {
    for (Port p : instancePorts(os, id)) {
      for (NetFloatingIP f : os.networking().floatingip().list(Map.of("port_id", p.getId()))) {
        gone(os.networking().floatingip().delete(f.getId()), "floating IP " + f.getId());
      }
      gone(os.networking().port().delete(p.getId()), "port " + p.getId());
    }
  }

  private void deleteSecurityGroup(OSClientV3 os, String id) {
    for (SecurityGroup g : os.networking().securitygroup().list(Map.of("name", SG_PREFIX + id))) {
      gone(os.networking().securitygroup().delete(g.getId()), "security group " + g.getId());
    }
  }

  private void deleteVolume(OSClientV3 os, String id) {
    for (Volume v : os.blockStorage().volumes().list(Map.of("name", PREFIX + id))) {
      // Nova detaches it as the server goes
      await(
          "volume " + v.getId() + " to be detached",
          settings.deleteTimeout(),
          () -> os.blockStorage().volumes().get(v.getId()),
          x ->
              x == null
                  || x.getStatus() != Volume.Status.IN_USE
                      && x.getStatus() != Volume.Status.DETACHING
                      && x.getStatus() != Volume.Status.ATTACHING
                      && x.getStatus() != Volume.Status.CREATING,
          x -> null);
      gone(os.blockStorage().volumes().delete(v.getId()), "volume " + v.getId());
    }
  }

  private void deleteServerGroup(OSClientV3 os, String id) {
    for (ServerGroup g : os.compute().serverGroups().list()) {
      if ((PREFIX + id).equals(g.getName())
          && (g.getMembers() == null || g.getMembers().isEmpty())) {
        gone(os.compute().serverGroups().delete(g.getId()), "server group " + g.getId());
      }
    }
  }

  /** A delete that succeeded or found nothing to delete. */
  private static void gone(ActionResponse r, String what) {
    if (r != null && !r.isSuccess() && r.getCode() != 404) {
      throw new IllegalStateException("cannot delete " + what + ": " + r.getFault());
    }
  }

  /** Runs a delete step up to three times: a cloud's API fails now and then. */
  private void retrying(String what, Runnable step) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      try {
        step.run();
        return;
      } catch (RuntimeException e) {
        last = e;
        Log.warnf("could not %s (attempt %d of 3): %s", what, attempt, e.getMessage());
        sleep(settings.pollInterval());
      }
    }
    throw new IllegalStateException("could not " + what + ": " + last.getMessage(), last);
  }

  // --- orphans

  @Override
  public Set<String> instances() {
    OSClientV3 os = clients.client();
    Set<String> ids = new TreeSet<>();
    os.compute().servers().list(Map.of("name", "^" + PREFIX)).forEach(s -> owner(s.getName(), ids));
    os.networking().port().list().forEach(p -> owner(p.getName(), ids));
    os.networking().securitygroup().list().forEach(g -> owner(g.getName(), ids));
    os.blockStorage().volumes().list().forEach(v -> owner(v.getName(), ids));
    // a server group outlives the instance it is named after while replicas use it; deleting that
    // instance again removes the group once it is empty
    os.compute().serverGroups().list().forEach(g -> owner(g.getName(), ids));
    return ids;
  }

  private static void owner(String name, Set<String> ids) {
    if (name == null) {
      return;
    }
    Matcher m = OWNED.matcher(name);
    if (m.matches()) {
      ids.add(m.group(1));
    }
  }

  /** The flavors Nova offers (the API's flavor list in openstack mode). */
  @Override
  public Optional<List<FlavorInfo>> flavors() {
    OSClientV3 os = clients.client();
    List<FlavorInfo> out = new ArrayList<>();
    for (var f : os.compute().flavors().list()) {
      out.add(
          new FlavorInfo(
              f.getId(),
              f.getName(),
              f.getRam(),
              f.getVcpus(),
              f.getDisk(),
              f.getEphemeral(),
              f.getSwap()));
    }
    clients.remember(os);
    return Optional.of(out);
  }

  @Override
  public List<VolumeTypeInfo> volumeTypes() {
    OSClientV3 os = clients.client();
    List<VolumeTypeInfo> out = new ArrayList<>();
    // openstack4j does not read is_public and description: the types Cinder lists to this
    // account are the ones it may use
    for (var t : os.blockStorage().volumes().listVolumeTypes()) {
      out.add(new VolumeTypeInfo(t.getId(), t.getName(), true, null));
    }
    clients.remember(os);
    return out;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
