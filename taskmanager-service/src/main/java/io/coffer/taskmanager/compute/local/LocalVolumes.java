package io.coffer.taskmanager.compute.local;

import io.coffer.taskmanager.config.TaskManagerConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The volume of a local instance, enforced: its directory is the mount point of an ext4 file system
 * of the volume's size, in a sparse image file ({@code <volume-dir>/<id>.img}) on a loop device,
 * mounted {@code nodev,nosuid}. What the instance stores cannot outgrow it; {@code resize volume}
 * grows the image and the file system (online where the kernel lets this host do it, else with the
 * instance stopped for the moment it takes); delete unmounts and removes the image.
 *
 * <p>Without root, loop devices or the ext4 tools, volumes are off and {@link #describe()} says
 * why: instance directories then live on the host's file system, their size not enforced.
 */
@ApplicationScoped
class LocalVolumes {

  private static final long GB = 1024L * 1024 * 1024;
  private static final String ID = "[0-9a-fA-F-]{36}";
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private final TaskManagerConfig config;
  private volatile String off;

  LocalVolumes(TaskManagerConfig config) {
    this.config = config;
  }

  private String off() {
    String o = off;
    if (o == null) {
      o = detect();
      off = o;
    }
    return o;
  }

  private String detect() {
    if (!config.local().volumes()) {
      return "off (local.volumes=false)";
    }
    if (!ROOT) {
      return "off (not running as root)";
    }
    if (!Files.exists(Path.of("/dev/loop-control"))) {
      return "off (no loop devices on this host)";
    }
    for (String tool : List.of("mkfs.ext4", "resize2fs", "e2fsck", "losetup", "mount")) {
      if (which(tool).isEmpty()) {
        return "off (" + tool + " is missing: install e2fsprogs and mount)";
      }
    }
    return "";
  }

  private static Optional<Path> which(String tool) {
    for (String d : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
      Path p = Path.of(d, tool);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Whether instances get file systems of their own. */
  boolean enabled() {
    return off().isEmpty();
  }

  /** What the host enforces, or why it does not. */
  String describe() {
    return enabled()
        ? "each instance's data on an ext4 file system of its volume's size (a sparse image on a"
            + " loop device, in "
            + dir()
            + ")"
        : off() + ": volume sizes are not enforced on this host";
  }

  /** Where the images live: {@code local.volume-dir}, or {@code volumes/} beside the instances. */
  Path dir() {
    return config
        .local()
        .volumeDir()
        .orElseGet(() -> baseDirOf(config).toAbsolutePath().normalize().resolveSibling("volumes"));
  }

  private static Path baseDirOf(TaskManagerConfig config) {
    return config.local().baseDir().orElse(Path.of("/var/lib/coffer/instances"));
  }

  Path image(String instanceId) {
    if (!instanceId.matches(ID)) {
      throw new IllegalArgumentException("not an instance id: " + instanceId);
    }
    return dir().resolve(instanceId + ".img");
  }

  /**
   * Makes {@code mountPoint} the root of the instance's file system: creates the image ({@code
   * sizeGb}, sparse) and its file system unless it exists, and mounts it unless it is mounted.
   */
  void attach(String instanceId, int sizeGb, Path mountPoint) throws IOException {
    Path image = image(instanceId);
    if (!Files.exists(image)) {
      Files.createDirectories(dir());
      Files.setPosixFilePermissions(dir(), PosixFilePermissions.fromString("rwx------"));
      Path tmp = image.resolveSibling(image.getFileName() + ".new");
      Files.deleteIfExists(tmp);
      try (RandomAccessFile f = new RandomAccessFile(tmp.toFile(), "rw")) {
        f.setLength(sizeGb * GB);
      }
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      // no blocks reserved for root: the tenant gets the whole volume
      run(
          List.of(
              "mkfs.ext4",
              "-q",
              "-F",
              "-m",
              "0",
              "-E",
              "lazy_itable_init=1,lazy_journal_init=1",
              "-L",
              "coffer-" + instanceId.substring(0, 8),
              tmp.toString()),
          120);
      Files.move(tmp, image, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      Log.infof("instance %s: volume of %d GB created (%s)", instanceId, sizeGb, image);
    }
    mount(image, mountPoint);
  }

  /** Mounts the instance's existing image (after a host restart or {@code down}); no-op if none. */
  boolean remount(String instanceId, Path mountPoint) throws IOException {
    Path image = image(instanceId);
    if (!enabled() || !Files.exists(image)) {
      return false;
    }
    mount(image, mountPoint);
    return true;
  }

  private void mount(Path image, Path mountPoint) throws IOException {
    Files.createDirectories(mountPoint);
    if (mounted(mountPoint)) {
      return;
    }
    run(
        List.of(
            "mount",
            "-t",
            "ext4",
            "-o",
            "loop,nodev,nosuid",
            image.toString(),
            mountPoint.toString()),
        60);
  }

  /** Whether a file system is mounted at {@code path}. */
  static boolean mounted(Path path) throws IOException {
    String target = path.toAbsolutePath().normalize().toString();
    try {
      target = path.toRealPath().toString();
    } catch (IOException e) {
      // not there: not mounted
      return false;
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      if (f.length > 4 && unescape(f[4]).equals(target)) {
        return true;
      }
    }
    return false;
  }

  private static String unescape(String mountinfoPath) {
    return mountinfoPath.replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\");
  }

  /** The loop device backing a mount point. */
  private static Optional<String> device(Path mountPoint) throws IOException {
    String target = mountPoint.toRealPath().toString();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      String[] f = line.split(" ");
      int dash = java.util.Arrays.asList(f).indexOf("-");
      if (f.length > 4 && unescape(f[4]).equals(target) && dash > 0 && dash + 2 < f.length) {
        return Optional.of(f[dash + 2]);
      }
    }
    return Optional.empty();
  }

  /** The size of the instance's volume in bytes (its image's), if it has one. */
  Optional<Long> size(String instanceId) throws IOException {
    Path image = image(instanceId);
    return Files.exists(image) ? Optional.of(Files.size(image)) : Optional.empty();
  }

  /**
   * Grows the instance's file system to {@code sizeGb}. Online when the kernel lets this host
   * resize a mounted file system; otherwise {@code stop} is called, the file system checked and
   * grown unmounted, mounted again, and {@code start} called. A volume already that large is left.
   */
  void grow(String instanceId, int sizeGb, Path mountPoint, Runnable stop, Runnable start)
      throws IOException {
    Path image = image(instanceId);
    long bytes = sizeGb * GB;
    if (!Files.exists(image)) {
      throw new IOException("instance " + instanceId + " has no volume image");
    }
    if (Files.size(image) < bytes) {
      try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
        f.setLength(bytes);
      }
    }
    Optional<String> loop = mounted(mountPoint) ? device(mountPoint) : Optional.empty();
    if (loop.isPresent()) {
      run(List.of("losetup", "-c", loop.get()), 30);
      Result online = exec(List.of("resize2fs", loop.get()), 300);
      if (online.exit() == 0) {
        Log.infof("instance %s: volume grown online to %d GB", instanceId, sizeGb);
        return;
      }
      Log.infof(
          "instance %s: the file system cannot grow while mounted here (%s); growing it with the"
              + " instance stopped",
          instanceId, online.output().strip());
    }
    stop.run();
    try {
      unmount(mountPoint);
      // resize2fs wants a freshly checked file system; exit 1 means it corrected something
      Result check = exec(List.of("e2fsck", "-f", "-y", image.toString()), 600);
      if (check.exit() > 1) {
        throw new IOException("e2fsck of the volume failed: " + check.output().strip());
      }
      run(List.of("resize2fs", image.toString()), 600);
      Log.infof("instance %s: volume grown to %d GB", instanceId, sizeGb);
    } finally {
      mount(image, mountPoint);
      start.run();
    }
  }

  /** Unmounts an instance's file system (its processes stopped); no-op when not mounted. */
  void unmount(Path mountPoint) throws IOException {
    for (int attempt = 0; mounted(mountPoint); attempt++) {
      Result r = exec(List.of("umount", mountPoint.toString()), 60);
      if (r.exit() == 0) {
        return;
      }
      if (attempt >= 20) {
        throw new IOException("cannot unmount " + mountPoint + ": " + r.output().strip());
      }
      // a process that is still exiting keeps it busy for a moment
      sleep(250);
    }
  }

  /** Unmounts the instance's file system and removes its image. */
  void remove(String instanceId, Path mountPoint) {
    try {
      if (mounted(mountPoint)) {
        unmount(mountPoint);
      }
      Files.deleteIfExists(image(instanceId));
      Files.deleteIfExists(image(instanceId).resolveSibling(instanceId + ".img.new"));
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot remove the volume of " + instanceId + ": " + e.getMessage(), e);
    }
  }

  /** Instances that have an image (for the orphan sweep). */
  Set<String> instances() {
    Set<String> ids = new TreeSet<>();
    if (!Files.isDirectory(dir())) {
      return ids;
    }
    try (Stream<Path> images = Files.list(dir())) {
      images
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".img"))
          .map(n -> n.substring(0, n.length() - 4))
          .filter(n -> n.matches(ID))
          .forEach(ids::add);
    } catch (IOException e) {
      Log.warnf("cannot list %s: %s", dir(), e.getMessage());
    }
    return ids;
  }

  record Result(int exit, String output) {}

  private static void run(List<String> cmd, int timeoutSeconds) throws IOException {
    Result r = exec(cmd, timeoutSeconds);
    if (r.exit() != 0) {
      throw new IOException(
          String.join(" ", cmd.subList(0, 1))
              + " failed ("
              + r.exit()
              + "): "
              + r.output().strip());
    }
  }

  private static Result exec(List<String> cmd, int timeoutSeconds) throws IOException {
    List<String> full = new ArrayList<>(cmd);
    which(full.get(0)).ifPresent(p -> full.set(0, p.toString()));
    // output goes to a file: a chatty tool can never block on a full pipe
    Path log = Files.createTempFile("coffer-volume", ".log");
    try {
      Process p =
          new ProcessBuilder(full)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(cmd.get(0) + " did not finish within " + timeoutSeconds + " s");
      }
      String out = Files.readString(log);
      return new Result(
          p.exitValue(), out.length() > 4000 ? out.substring(out.length() - 4000) : out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
