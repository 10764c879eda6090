package io.coffer.taskmanager.compute.local;

import io.coffer.model.common.FlavorInfo;
import io.coffer.storage.SwiftStorage;
import io.coffer.taskmanager.backup.Storage;
import io.coffer.taskmanager.compute.ComputeDriver;
import io.coffer.taskmanager.compute.Server;
import io.coffer.taskmanager.compute.ServerSpec;
import io.coffer.taskmanager.compute.VolumeTypeInfo;
import io.coffer.taskmanager.config.TaskManagerConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The {@code local} compute driver: a server is a directory plus processes on this host. Each
 * instance gets its own loopback address (its database listens there on the standard port, as on a
 * VM), and its guest agent runs in a session of its own with its guest configuration in {@code
 * config/}.
 *
 * <p>When the taskmanager runs as root, each instance has an OS user of its own ({@link
 * LocalUsers}); its guest and database run as that user, which can reach nothing of the other
 * instances:
 *
 * <pre>
 * base-dir/                                          root, 711: no listing
 * base-dir/&lt;id&gt;/                                      root:&lt;instance group&gt;, 1770 (sticky); the
 *                                                    mount point of its volume ({@link LocalVolumes})
 * base-dir/&lt;id&gt;/config/application.properties        root:&lt;instance group&gt;, 640: read, not changed
 * base-dir/&lt;id&gt;/guest.pid, guest.start               root, 644: the guest's process group, its start
 * base-dir/&lt;id&gt;/flavor                              root, 644: the limits its cgroups get
 * base-dir/&lt;id&gt;/logs/guest.log                       the guest's output
 * base-dir/&lt;id&gt;/data …                               the database (the instance user's)
 * </pre>
 *
 * Without isolation (not root, or {@code local.isolation=false}) everything belongs to one OS user
 * ({@code local.run-as} when root).
 */
@ApplicationScoped
@Typed(LocalComputeDriver.class)
public class LocalComputeDriver implements ComputeDriver {

  private static final String CONFIG = "config/application.properties";
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private final TaskManagerConfig config;
  private final LocalAddresses addresses;
  private final LocalUsers users;
  private final LocalCgroups cgroups;
  private final LocalVolumes volumes;
  private final LocalClassData classData;
  private final Storage storage;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  LocalComputeDriver(
      TaskManagerConfig config,
      LocalAddresses addresses,
      LocalUsers users,
      LocalCgroups cgroups,
      LocalVolumes volumes,
      LocalClassData classData,
      Storage storage) {
    this.config = config;
    this.addresses = addresses;
    this.users = users;
    this.cgroups = cgroups;
    this.volumes = volumes;
    this.classData = classData;
    this.storage = storage;
  }

  /** What the driver enforces on this host, for the startup log and the health check. */
  public Map<String, String> capabilities() {
    Map<String, String> c = new java.util.LinkedHashMap<>();
    c.put(
        "isolation",
        users.enabled()
            ? "each instance runs as an OS user of its own"
            : ROOT
                ? "off (local.isolation=false): every instance runs as " + config.local().runAs()
                : "off (not running as root): every instance runs as "
                    + System.getProperty("user.name"));
    c.put("limits", cgroups.describe());
    c.put("volumes", volumes.describe());
    c.put("class data", classData.describe());
    return c;
  }

  void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent event) {
    if ("local".equals(config.computeDriver())) {
      capabilities().forEach((k, v) -> Log.infof("local compute driver: %s: %s", k, v));
      Thread t =
          new Thread(
              () -> {
                try {
                  classData.prepare(
                      baseDir().toAbsolutePath().normalize().resolveSibling("guest-cds"),
                      java(),
                      guestJar(),
                      config.local().guestJvmOptions());
                } catch (RuntimeException e) {
                  Log.warnf("local compute driver: no shared class archive: %s", e.getMessage());
                }
              },
              "coffer-class-data");
      t.setDaemon(true);
      t.start();
    }
  }

  @Override
  public String name() {
    return "local";
  }

  /** Where instance directories live. */
  public Path baseDir() {
    return config
        .local()
        .baseDir()
        .orElseGet(
            () ->
                ROOT
                    ? Path.of("/var/lib/coffer/instances")
                    : Path.of(
                        System.getProperty(
                            "coffer.home", System.getProperty("user.home") + "/.coffer"),
                        "instances"));
  }

  private Path dir(String instanceId) {
    if (!instanceId.matches("[0-9a-fA-F-]{36}")) {
      throw new IllegalArgumentException("not an instance id: " + instanceId);
    }
    return baseDir().resolve(instanceId);
  }

  @Override
  public Server create(ServerSpec spec) {
    Path dir = dir(spec.instanceId());
    try {
      String address = addresses.allocate(spec.instanceId(), portOf(spec));
      if (users.enabled()) {
        String project = spec.guestConfig().get("coffer.guest.tenant-id");
        if (project == null) {
          throw new IllegalStateException("the guest configuration names no project");
        }
        users.ensure(spec.instanceId(), project);
        if (!SwiftStorage.KIND.equals(storage.kind())) {
          storage.projectDirectory(project, LocalUsers.groupOf(project));
        }
        secureBase();
      }
      if (volumes.enabled() && !legacy(spec.instanceId(), dir)) {
        volumes.attach(spec.instanceId(), spec.volumeSize(), dir);
      }
      Files.createDirectories(dir.resolve("config"));
      Files.createDirectories(dir.resolve("logs"));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      boolean changed = writeConfig(dir, spec, address);
      // placement hints are recorded: one host cannot spread or pack servers
      Files.writeString(
          dir.resolve("placement"),
          "locality="
              + spec.locality()
              + "\ngroup="
              + spec.groupId()
              + "\nzone="
              + spec.availabilityZone()
              + "\n");
      owned(dir);
      boolean fits = limit(spec.instanceId(), dir, LocalCgroups.Limits.of(spec.flavor()));
      if (changed || !fits) {
        // a repeated create whose configuration differs from the one a running guest started with
        synchronized (lockOf(spec.instanceId())) {
          Log.infof(
              "instance %s: guest configuration changed, restarting its guest", spec.instanceId());
          stopProcesses(dir);
        }
      }
      ensureGuest(spec.instanceId(), dir);
      return server(spec.instanceId(), address, "ACTIVE");
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot create the local server of " + spec.instanceId() + ": " + e.getMessage(), e);
    }
  }

  private static int portOf(ServerSpec spec) {
    String port = spec.guestConfig().get("coffer.guest.port");
    return port == null ? 5432 : Integer.parseInt(port);
  }

  /** Writes the guest configuration; returns whether it replaced a different one. */
  private boolean writeConfig(Path dir, ServerSpec spec, String address) throws IOException {
    Properties p = new Properties();
    p.putAll(spec.guestConfig());
    p.setProperty("coffer.guest.data-dir", dir.toString());
    p.setProperty("coffer.guest.bind-address", address);
    p.setProperty("coffer.guest.volume-size", Integer.toString(spec.volumeSize()));
    if (spec.flavor() != null && spec.flavor().ram() != null) {
      p.setProperty("coffer.guest.memory-mb", Integer.toString(spec.flavor().ram()));
    }
    p.setProperty("quarkus.http.host", address);
    p.setProperty("quarkus.http.port", Integer.toString(config.local().guestHttpPort()));
    boolean changed = Files.exists(dir.resolve(CONFIG)) && !load(dir).equals(p);
    store(dir, p);
    return changed;
  }

  private static void store(Path dir, Properties p) throws IOException {
    Path file = dir.resolve(CONFIG);
    Path tmp = dir.resolve(CONFIG + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (OutputStream out = Files.newOutputStream(tmp)) {
      p.store(out, "Coffer guest configuration (holds credentials)");
    }
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static Properties load(Path dir) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(dir.resolve(CONFIG))) {
      p.load(in);
    }
    return p;
  }

  /**
   * Gives an instance's files to the OS user its guest runs as. With isolation, the directory and
   * what the taskmanager keeps there (configuration, pid files) stay root's, readable by the
   * instance's group but not changeable, in a sticky directory the instance user may add to.
   */
  private void owned(Path dir) throws IOException {
    if (!ROOT) {
      return;
    }
    String id = dir.getFileName().toString();
    var lookup = dir.getFileSystem().getUserPrincipalLookupService();
    if (!isolated(id)) {
      UserPrincipal user = lookup.lookupPrincipalByName(config.local().runAs());
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.toList()) {
          Files.setOwner(f, user);
        }
      }
      return;
    }
    String user = LocalUsers.userOf(id);
    var group = lookup.lookupPrincipalByGroupName(user);
    UserPrincipal root = lookup.lookupPrincipalByName("root");
    for (Path f :
        List.of(
            dir, dir.resolve("config"), dir.resolve("config").resolve("application.properties"))) {
      if (Files.exists(f)) {
        Files.setOwner(f, root);
        Files.getFileAttributeView(f, java.nio.file.attribute.PosixFileAttributeView.class)
            .setGroup(group);
      }
    }
    Files.setPosixFilePermissions(
        dir.resolve("config"), PosixFilePermissions.fromString("rwxr-x---"));
    Path file = dir.resolve(CONFIG);
    if (Files.exists(file)) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
    }
    Files.setOwner(dir.resolve("logs"), lookup.lookupPrincipalByName(user));
    Files.getFileAttributeView(
            dir.resolve("logs"), java.nio.file.attribute.PosixFileAttributeView.class)
        .setGroup(group);
    // sticky: the instance user adds its own files but cannot remove or replace root's
    chmod(dir, "1770");
  }

  /**
   * Whether an instance keeps its data in a plain directory: one made before volumes were enforced
   * (its directory has content, but it has no volume image). It stays as it is.
   */
  private boolean legacy(String instanceId, Path dir) throws IOException {
    if (Files.exists(volumes.image(instanceId)) || !Files.isDirectory(dir)) {
      return false;
    }
    try (Stream<Path> content = Files.list(dir)) {
      return content.findAny().isPresent();
    }
  }

  /** Whether an instance runs as a user of its own (instances made before isolation do not). */
  private boolean isolated(String instanceId) {
    return users.enabled() && users.has(instanceId);
  }

  /** The instance directories' parent: root's, not listable. */
  private void secureBase() throws IOException {
    Path base = baseDir();
    Files.createDirectories(base);
    Files.setOwner(
        base, base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("root"));
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwx--x--x"));
  }

  private static void chmod(Path path, String mode) throws IOException {
    try {
      Process p =
          new ProcessBuilder("chmod", mode, path.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IOException("chmod " + mode + " " + path + " failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private void launch(Path dir) throws IOException {
    List<String> cmd = new ArrayList<>();
    // a session of its own: stopping the taskmanager must not stop the databases
    cmd.add("setsid");
    String id = dir.getFileName().toString();
    if (cgroups.enabled()) {
      // limits exist before the guest does (after a host restart the groups are gone)
      cgroups.apply(id, recordedLimits(dir));
      cmd.addAll(cgroups.joinCommand(id));
    }
    if (ROOT) {
      cmd.addAll(
          List.of(
              "runuser",
              "-u",
              isolated(id) ? LocalUsers.userOf(id) : config.local().runAs(),
              "--"));
    }
    if (isolated(id)) {
      // what the guest creates is its group's too (the project's backups); never others'
      cmd.addAll(List.of("/bin/sh", "-c", "umask 007 && exec \"$0\" \"$@\""));
    }
    cmd.add(java().toString());
    cmd.addAll(config.local().guestJvmOptions());
    cmd.addAll(classData.jvmOptions());
    cmd.add("-Dquarkus.banner.enabled=false");
    cmd.add("-jar");
    cmd.add(guestJar().toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("logs/guest.log").toFile()));
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    // the guest reads its settings from config/, not from the taskmanager's environment
    Map<String, String> env = pb.environment();
    String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.clear();
    env.put("PATH", path);
    env.put("LANG", "C.UTF-8");
    // two malloc arenas instead of one per thread that allocates: less memory each guest keeps
    env.put("MALLOC_ARENA_MAX", "2");
    Process p = pb.start();
    LocalProcesses.record(dir.resolve("guest.pid"), p.toHandle());
    Log.infof("instance %s: guest agent started (process group %d)", dir.getFileName(), p.pid());
  }

  private Path java() {
    return config.local().java().orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
  }

  private Path guestJar() {
    Optional<Path> configured = config.local().guestJar();
    if (configured.isPresent()) {
      return configured.get().toAbsolutePath();
    }
    Path here = Path.of("").toAbsolutePath();
    for (Path d = here; d != null; d = d.getParent()) {
      Path candidate = d.resolve("guestagent/target/quarkus-app/quarkus-run.jar");
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no guest agent jar: set coffer.taskmanager.local.guest-jar");
  }

  private Server server(String instanceId, String address, String status) {
    return new Server(
        "local-" + instanceId,
        status,
        List.of(new Server.Address(address, "private", "local")),
        "local-volume-" + instanceId);
  }

  @Override
  public Optional<Server> find(String instanceId) {
    Path dir = dir(instanceId);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    String address = addresses.of(instanceId).orElse(null);
    boolean running = LocalProcesses.group(dir.resolve("guest.pid")).isPresent();
    return Optional.of(server(instanceId, address, running ? "ACTIVE" : "SHUTDOWN"));
  }

  /**
   * Starts the guest of an instance whose processes are gone (the host or the suite restarted); the
   * guest brings its prepared database back. Returns whether it had to start it.
   */
  public boolean revive(String instanceId) {
    Path dir = dir(instanceId);
    try {
      // its volume first: the configuration and data are on it
      synchronized (lockOf(instanceId)) {
        volumes.remount(instanceId, dir);
      }
      if (!Files.exists(dir.resolve(CONFIG))) {
        return false;
      }
      return ensureGuest(instanceId, dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot restart the guest of " + instanceId, e);
    }
  }

  /**
   * Makes sure exactly one guest agent runs for the instance: the recorded one, or one that runs in
   * its directory without a record (a taskmanager killed between starting it and recording it), or
   * a new one. Serialized per instance: the startup reconciler and a redelivered create may both
   * get here. Returns whether it started one.
   */
  private boolean ensureGuest(String instanceId, Path dir) throws IOException {
    synchronized (lockOf(instanceId)) {
      Path pidFile = dir.resolve("guest.pid");
      if (LocalProcesses.group(pidFile).isPresent()) {
        return false;
      }
      List<Long> guests =
          LocalProcesses.workingUnder(dir.toRealPath()).keySet().stream()
              .filter(LocalProcesses::isGuestAgent)
              .toList();
      if (!guests.isEmpty()) {
        long keep = guests.get(0);
        for (long other : guests.subList(1, guests.size())) {
          stopGuest(other);
        }
        Optional<Long> own = LocalProcesses.ownSessionGroupOf(keep);
        if (own.isEmpty()) {
          // not (yet) in a session of its own: only the process itself may be stopped
          Log.warnf(
              "instance %s: a guest agent outside a session of its own, replaced", instanceId);
          stopGuest(keep);
          launch(dir);
          return true;
        }
        long group = own.get();
        Optional<ProcessHandle> leader = ProcessHandle.of(group);
        if (leader.isPresent()) {
          LocalProcesses.record(pidFile, leader.get());
          Log.infof(
              "instance %s: guest agent found running unrecorded (process group %d), kept",
              instanceId, group);
          return false;
        }
        // a group without its leader cannot be recorded: replace it
        LocalProcesses.stop(group, 15);
      }
      launch(dir);
      return true;
    }
  }

  /** Stops a guest: its whole group when it leads a session of its own, else only itself. */
  private static void stopGuest(long pid) {
    Optional<Long> group = LocalProcesses.ownSessionGroupOf(pid);
    if (group.isPresent()) {
      LocalProcesses.stop(group.get(), 15);
    } else {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  private Object lockOf(String instanceId) {
    return locks.computeIfAbsent(instanceId, k -> new Object());
  }

  @Override
  public void reboot(String instanceId) {
    Path dir = dir(instanceId);
    try {
      synchronized (lockOf(instanceId)) {
        stopProcesses(dir);
        launch(dir);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot restart the guest of " + instanceId, e);
    }
  }

  @Override
  public void fence(String instanceId) {
    Path dir = dir(instanceId);
    synchronized (lockOf(instanceId)) {
      // first the flag: a guest started from now on leaves the database server down
      if (Files.exists(dir.resolve(CONFIG))) {
        update(instanceId, FENCED, "true");
      }
      stopProcesses(dir);
    }
    Log.infof("instance %s: fenced (database server and guest stopped)", instanceId);
  }

  @Override
  public boolean bringBack(String instanceId) {
    return revive(instanceId);
  }

  @Override
  public void unfence(String instanceId) {
    synchronized (lockOf(instanceId)) {
      if (Files.exists(dir(instanceId).resolve(CONFIG))) {
        update(instanceId, FENCED, "false");
      }
    }
  }

  @Override
  public void resize(String instanceId, FlavorInfo flavor) {
    update(instanceId, "coffer.guest.memory-mb", Integer.toString(flavor.ram()));
    Path dir = dir(instanceId);
    try {
      synchronized (lockOf(instanceId)) {
        if (!limit(instanceId, dir, LocalCgroups.Limits.of(flavor))) {
          // the instance uses more than the smaller flavor allows: it restarts within it
          Log.infof(
              "instance %s: uses more memory than flavor %s allows, restarting it within it",
              instanceId, flavor.id());
          stopProcesses(dir);
          launch(dir);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot apply the limits of flavor " + flavor.id() + " to " + instanceId, e);
    }
  }

  /**
   * Records the limits of an instance's flavor in its directory (root's, read when its guest
   * starts) and applies them to its groups now; false when its memory use is above the new limit
   * (it must restart to fit).
   */
  private boolean limit(String instanceId, Path dir, LocalCgroups.Limits limits)
      throws IOException {
    Path file = dir.resolve("flavor");
    Path tmp = dir.resolve("flavor.tmp");
    Files.writeString(tmp, limits.render());
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return cgroups.apply(instanceId, limits);
  }

  private static LocalCgroups.Limits recordedLimits(Path dir) throws IOException {
    Path file = dir.resolve("flavor");
    return Files.exists(file)
        ? LocalCgroups.Limits.parse(Files.readString(file))
        : LocalCgroups.Limits.of(null);
  }

  @Override
  public void resizeVolume(String instanceId, int sizeGb) {
    Path dir = dir(instanceId);
    if (volumes.enabled() && Files.exists(volumes.image(instanceId))) {
      // first the room: the configuration is on the volume, which may be full
      grow(instanceId, sizeGb, dir);
    }
    update(instanceId, "coffer.guest.volume-size", Integer.toString(sizeGb));
  }

  private void grow(String instanceId, int sizeGb, Path dir) {
    try {
      synchronized (lockOf(instanceId)) {
        volumes.grow(
            instanceId,
            sizeGb,
            dir,
            () -> stopProcesses(dir),
            () -> {
              try {
                launch(dir);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new IllegalStateException(
          "cannot grow the volume of " + instanceId + " to " + sizeGb + " GB: " + e.getMessage(),
          e);
    }
  }

  /** The guest setting that keeps a fenced instance's database server down. */
  static final String FENCED = "coffer.guest.fenced";

  private void update(String instanceId, String key, String value) {
    Path dir = dir(instanceId);
    try {
      Properties p = load(dir);
      p.setProperty(key, value);
      store(dir, p);
      owned(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot update the guest configuration of " + instanceId, e);
    }
  }

  @Override
  public void delete(String instanceId) {
    Path dir = dir(instanceId);
    synchronized (lockOf(instanceId)) {
      stopProcesses(dir);
      // the volume before the directory it is mounted on
      volumes.remove(instanceId, dir);
      if (Files.isDirectory(dir)) {
        removeTree(dir);
      }
      cgroups.remove(instanceId);
    }
    locks.remove(instanceId);
    addresses.release(instanceId);
    if (users.enabled()) {
      // after its processes: a user with running processes cannot be removed
      users.remove(instanceId);
    }
    Log.infof("instance %s: local server deleted", instanceId);
  }

  private void stopProcesses(Path dir) {
    LocalProcesses.group(dir.resolve("guest.pid")).ifPresent(g -> LocalProcesses.stop(g, 15));
    // what runs in the directory without a record (an unrecorded guest, a database server that
    // left the guest's group, processes of a directory already removed): guests by their group,
    // the rest one by one
    Path real = realBase().resolve(dir.getFileName());
    for (long pid : LocalProcesses.workingUnder(real).keySet()) {
      if (LocalProcesses.isGuestAgent(pid)) {
        stopGuest(pid);
      }
    }
    // the database server (in a session of its own) shuts down cleanly: killed, it would leave
    // its lock file naming a process that may stay a zombie for a while, and a server started
    // right after (a volume grown offline, a reboot) would refuse to start. PostgreSQL's fast
    // shutdown is SIGINT, MariaDB's clean shutdown SIGTERM.
    shutDownServer(dir.resolve("data").resolve("postmaster.pid"), "INT", real);
    shutDownServer(dir.resolve("run").resolve("mariadbd.pid"), "TERM", real);
    LocalProcesses.workingUnder(real).keySet().forEach(pid -> LocalProcesses.kill(pid, real));
  }

  private static void shutDownServer(Path pidFile, String signal, Path real) {
    try {
      if (Files.exists(pidFile)) {
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        if (!LocalProcesses.shutDown(pid, real, signal, 60)) {
          Log.warnf("instance %s: the database server did not shut down, killing it", real);
        }
      }
    } catch (IOException | RuntimeException e) {
      Log.debugf("instance %s: no database server pid to read: %s", real, e.getMessage());
    }
  }

  /** The base directory as the kernel names it (symbolic links resolved). */
  private Path realBase() {
    try {
      return baseDir().toRealPath();
    } catch (IOException e) {
      return baseDir().toAbsolutePath().normalize();
    }
  }

  private static void removeTree(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new IllegalStateException("cannot remove " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The local driver's one kind of volume: a directory on this host's file system. */
  public static final VolumeTypeInfo LOCAL_VOLUME =
      new VolumeTypeInfo(
          "local", "local", true, "A directory on the taskmanager host's local file system");

  @Override
  public List<VolumeTypeInfo> volumeTypes() {
    return List.of(LOCAL_VOLUME);
  }

  @Override
  public Set<String> instances() {
    Set<String> ids = new TreeSet<>();
    // processes still working in an instance directory, also one removed since
    Path base = realBase();
    for (Path cwd : LocalProcesses.workingUnder(base).values()) {
      if (cwd.getNameCount() > base.getNameCount()) {
        String id = cwd.getName(base.getNameCount()).toString();
        if (id.matches("[0-9a-fA-F-]{36}")) {
          ids.add(id);
        }
      }
    }
    if (users.enabled()) {
      // users whose instance lost its directory (a delete interrupted before removing the user)
      ids.addAll(users.instances());
    }
    // groups and volumes left by a delete interrupted before removing them
    ids.addAll(cgroups.instances());
    ids.addAll(volumes.instances());
    if (!Files.isDirectory(baseDir())) {
      return ids;
    }
    try (Stream<Path> dirs = Files.list(baseDir())) {
      dirs.filter(Files::isDirectory)
          .map(d -> d.getFileName().toString())
          .filter(n -> n.matches("[0-9a-fA-F-]{36}"))
          .forEach(ids::add);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return ids;
  }
}
