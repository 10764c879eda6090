package io.coffer.taskmanager.compute.local;

import io.coffer.model.common.FlavorInfo;
import io.coffer.taskmanager.config.TaskManagerConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The flavor of a local instance, enforced: a cgroup per instance ({@code <cgroup-root>/<id>}) that
 * its guest agent joins before it starts, so the guest and the database server it runs share the
 * flavor's memory (swap excluded) and its vCPUs (a CPU quota of vCPUs × the scheduler period), as
 * on a VM of that flavor. Works with cgroup v1 ({@code memory} and {@code cpu} controllers, as on
 * this project's CI machines) and v2 (the unified hierarchy at {@code /sys/fs/cgroup}).
 *
 * <p>Without root, or without those controllers, limits are off and {@link #describe()} says why.
 * The groups are root's: an instance's processes cannot raise their limits or leave them.
 */
@ApplicationScoped
class LocalCgroups {

  /** The CPU scheduler period the quota is a multiple of (microseconds). */
  static final long PERIOD_US = 100_000;

  private static final String ID = "[0-9a-fA-F-]{36}";
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  /** What a flavor allows an instance. */
  record Limits(long memoryBytes, int vcpus) {
    static Limits of(FlavorInfo flavor) {
      int ram = flavor == null || flavor.ram() == null ? 512 : flavor.ram();
      int cpus = flavor == null || flavor.vcpus() == null ? 1 : Math.max(1, flavor.vcpus());
      return new Limits(ram * 1024L * 1024L, cpus);
    }

    /** As recorded in an instance's directory ({@code ram=<MB>} and {@code vcpus=<n>} lines). */
    static Limits parse(String text) {
      long ram = 512;
      int cpus = 1;
      for (String line : text.split("\n")) {
        String[] kv = line.strip().split("=", 2);
        if (kv.length == 2 && kv[0].equals("ram")) {
          ram = Long.parseLong(kv[1].strip());
        } else if (kv.length == 2 && kv[0].equals("vcpus")) {
          cpus = Integer.parseInt(kv[1].strip());
        }
      }
      return new Limits(ram * 1024L * 1024L, cpus);
    }

    String render() {
      return "ram=" + memoryBytes / (1024 * 1024) + "\nvcpus=" + vcpus + "\n";
    }
  }

  /** How this host limits instances: cgroup version 1 or 2, or 0 for not at all (and why). */
  private record Mode(int version, List<Path> roots, String description) {}

  private final TaskManagerConfig config;
  private final Path fs;
  private volatile Mode mode;

  @Inject
  LocalCgroups(TaskManagerConfig config) {
    this(config, Path.of("/sys/fs/cgroup"));
  }

  LocalCgroups(TaskManagerConfig config, Path fs) {
    this.config = config;
    this.fs = fs;
  }

  private Mode mode() {
    Mode m = mode;
    if (m == null) {
      synchronized (this) {
        if (mode == null) {
          mode = detect();
        }
        m = mode;
      }
    }
    return m;
  }

  private Mode detect() {
    if (!config.local().limits()) {
      return new Mode(0, List.of(), "off (local.limits=false): flavors are not enforced");
    }
    if (!ROOT) {
      return new Mode(
          0, List.of(), "off (not running as root): flavors are not enforced on this host");
    }
    String root = config.local().cgroupRoot().orElseGet(() -> defaultRoot(config));
    try {
      Path controllers = fs.resolve("cgroup.controllers");
      if (Files.exists(controllers)) {
        String have = Files.readString(controllers);
        if (!(" " + have.strip() + " ").contains(" memory ")
            || !(" " + have.strip() + " ").contains(" cpu ")) {
          return new Mode(
              0,
              List.of(),
              "off (cgroup v2 without the memory and cpu controllers): flavors are not enforced");
        }
        Path group = fs.resolve(root);
        // every level down to the instances' parent hands the controllers on
        enableControllers(fs);
        Path level = fs;
        for (Path part : fs.relativize(group)) {
          level = level.resolve(part);
          Files.createDirectories(level);
          enableControllers(level);
        }
        return new Mode(
            2,
            List.of(group),
            "memory and vCPUs of the flavor, through cgroup v2 (" + group + "/<instance>)");
      }
      Path memory = fs.resolve("memory");
      Path cpu = fs.resolve("cpu");
      if (Files.exists(memory.resolve("memory.limit_in_bytes"))
          && Files.exists(cpu.resolve("cpu.cfs_quota_us"))) {
        Path m = memory.resolve(root);
        Path c = cpu.resolve(root);
        Files.createDirectories(m);
        Files.createDirectories(c);
        return new Mode(
            1,
            List.of(m, c),
            "memory and vCPUs of the flavor, through cgroup v1 ("
                + m
                + "/<instance>, "
                + c
                + "/<instance>)");
      }
      return new Mode(
          0,
          List.of(),
          "off (no cgroup memory and cpu controllers on this host): flavors are not enforced");
    } catch (IOException | RuntimeException e) {
      return new Mode(
          0,
          List.of(),
          "off (cannot create the instances' cgroups: "
              + e.getMessage()
              + "): flavors are not enforced");
    }
  }

  /** {@code coffer/<8 hex of a digest of the base directory>}: one root per deployment. */
  static String defaultRoot(TaskManagerConfig config) {
    String base =
        config
            .local()
            .baseDir()
            .orElse(Path.of("/var/lib/coffer/instances"))
            .toAbsolutePath()
            .normalize()
            .toString();
    try {
      byte[] d =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(base.getBytes(StandardCharsets.UTF_8));
      return "coffer/" + java.util.HexFormat.of().formatHex(d).substring(0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void enableControllers(Path group) throws IOException {
    Path control = group.resolve("cgroup.subtree_control");
    String enabled = " " + Files.readString(control).strip() + " ";
    for (String c : List.of("memory", "cpu")) {
      if (!enabled.contains(" " + c + " ")) {
        write(control, "+" + c);
      }
    }
  }

  /** Whether instances are limited on this host. */
  boolean enabled() {
    return mode().version() != 0;
  }

  /** What the host enforces, or why it does not. */
  String describe() {
    return mode().description();
  }

  /** The cgroup directories of an instance (one per hierarchy). */
  List<Path> groups(String instanceId) {
    if (!instanceId.matches(ID)) {
      throw new IllegalArgumentException("not an instance id: " + instanceId);
    }
    return mode().roots().stream().map(r -> r.resolve(instanceId)).toList();
  }

  /**
   * The files a process writes its pid to in order to join the instance's groups (before it starts
   * the guest: what the guest starts is in them too).
   */
  List<Path> procsFiles(String instanceId) {
    return groups(instanceId).stream().map(g -> g.resolve("cgroup.procs")).toList();
  }

  /**
   * Creates the instance's groups if needed and sets their limits. Returns false when the memory
   * limit could not be lowered because the instance uses more than the new limit right now (its
   * processes must stop first); the CPU limit is set in any case.
   */
  boolean apply(String instanceId, Limits limits) throws IOException {
    if (!enabled()) {
      return true;
    }
    List<Path> groups = groups(instanceId);
    for (Path g : groups) {
      Files.createDirectories(g);
    }
    if (mode().version() == 2) {
      Path g = groups.get(0);
      write(g.resolve("cpu.max"), limits.vcpus() * PERIOD_US + " " + PERIOD_US);
      if (Files.exists(g.resolve("memory.swap.max"))) {
        write(g.resolve("memory.swap.max"), "0");
      }
      long current = Long.parseLong(Files.readString(g.resolve("memory.current")).strip());
      if (current > limits.memoryBytes()
          && !Files.readString(g.resolve("cgroup.procs")).isBlank()) {
        // lowering memory.max below what running processes use makes the kernel kill: stop first
        return false;
      }
      write(g.resolve("memory.max"), Long.toString(limits.memoryBytes()));
      return true;
    }
    Path mem = groups.get(0);
    Path cpu = groups.get(1);
    write(cpu.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
    write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(limits.vcpus() * PERIOD_US));
    Path limit = mem.resolve("memory.limit_in_bytes");
    Path withSwap = mem.resolve("memory.memsw.limit_in_bytes");
    boolean swapAccounted = Files.exists(withSwap);
    long before = Long.parseLong(Files.readString(limit).strip());
    String value = Long.toString(limits.memoryBytes());
    try {
      // memory+swap is never below memory: raise it first, lower it last
      if (limits.memoryBytes() >= before) {
        if (swapAccounted) {
          write(withSwap, value);
        }
        write(limit, value);
      } else {
        write(limit, value);
        if (swapAccounted) {
          write(withSwap, value);
        }
      }
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("busy")) {
        // the kernel could not reclaim enough to fit under the new limit
        return false;
      }
      throw e;
    }
    return true;
  }

  /** The memory limit an instance's group has now, if it has a group. */
  java.util.Optional<Long> memoryLimit(String instanceId) throws IOException {
    if (!enabled()) {
      return java.util.Optional.empty();
    }
    Path g = groups(instanceId).get(0);
    Path file = g.resolve(mode().version() == 2 ? "memory.max" : "memory.limit_in_bytes");
    if (!Files.exists(file)) {
      return java.util.Optional.empty();
    }
    String v = Files.readString(file).strip();
    return java.util.Optional.of(v.equals("max") ? Long.MAX_VALUE : Long.parseLong(v));
  }

  /**
   * Removes the instance's groups. Its processes are stopped before; a process still exiting keeps
   * a group busy for a moment, so removal is retried briefly.
   */
  void remove(String instanceId) {
    if (!enabled()) {
      return;
    }
    for (Path g : groups(instanceId)) {
      for (int attempt = 0; Files.isDirectory(g); attempt++) {
        try {
          Files.delete(g);
        } catch (IOException e) {
          if (attempt >= 50) {
            Log.warnf("instance %s: cannot remove cgroup %s: %s", instanceId, g, e.getMessage());
            break;
          }
          try {
            Thread.sleep(100);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  /** Instances that have a group (for the orphan sweep). */
  Set<String> instances() {
    Set<String> ids = new TreeSet<>();
    if (!enabled()) {
      return ids;
    }
    for (Path root : mode().roots()) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> groups = Files.list(root)) {
        groups
            .filter(Files::isDirectory)
            .map(g -> g.getFileName().toString())
            .filter(n -> n.matches(ID))
            .forEach(ids::add);
      } catch (IOException e) {
        Log.warnf("cannot list %s: %s", root, e.getMessage());
      }
    }
    return ids;
  }

  /**
   * The command prefix that puts the process it starts into the instance's groups, then runs the
   * rest of the command line.
   */
  List<String> joinCommand(String instanceId) {
    List<String> cmd = new ArrayList<>();
    cmd.add("/bin/sh");
    cmd.add("-c");
    cmd.add(
        "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done; shift; exec \"$@\"");
    cmd.add("coffer-cgroup");
    procsFiles(instanceId).forEach(p -> cmd.add(p.toString()));
    cmd.add("--");
    return cmd;
  }

  private static void write(Path file, String value) throws IOException {
    Files.write(
        file,
        value.getBytes(StandardCharsets.US_ASCII),
        StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }
}
