package io.coffer.taskmanager.backup;

import io.coffer.storage.BackupStorage;
import io.coffer.storage.BackupStorages;
import io.coffer.storage.SwiftStorage;
import io.coffer.storage.openstack.OpenStackAccount;
import io.coffer.taskmanager.config.TaskManagerConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;

/**
 * The backup storage as the taskmanager sees it: it prepares the directories the guests write to,
 * deletes backups, and tells the guests where it is. On the filesystem storage each project has a
 * directory of its own ({@code <path>/<project>/}): when the local driver gives each instance an OS
 * user, the directory belongs to the project's OS group (mode 2770, the storage's own directory
 * 711), so an instance reads and writes its project's backups and no other project's; otherwise it
 * belongs to the guests' one OS user.
 */
@ApplicationScoped
public class Storage {

  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private final TaskManagerConfig config;
  private volatile BackupStorage swift;

  Storage(TaskManagerConfig config) {
    this.config = config;
  }

  void onStart(@Observes StartupEvent event) {
    // the guests write there as soon as they take a backup: it must exist
    try {
      if (SwiftStorage.KIND.equals(kind())) {
        swift();
      } else {
        root();
      }
    } catch (IOException | RuntimeException e) {
      Log.errorf("the %s backup storage is not usable: %s", kind(), e.getMessage());
    }
  }

  /** The directory of the filesystem storage. */
  public Path path() {
    return config
        .backup()
        .path()
        .orElseGet(
            () ->
                ROOT
                    ? Path.of("/var/lib/coffer/backups")
                    : Path.of(
                        System.getProperty(
                            "coffer.home", System.getProperty("user.home") + "/.coffer"),
                        "backups"));
  }

  /** The Swift storage's settings. */
  public TaskManagerConfig.Backup.Swift swiftSettings() {
    return config.backup().swift();
  }

  /** The account of the Swift storage (guests upload with it too). */
  public OpenStackAccount swiftAccount() {
    TaskManagerConfig.Backup.Swift s = swiftSettings();
    return new OpenStackAccount(
        required(s.authUrl(), "auth-url"),
        required(s.username(), "username"),
        required(s.password(), "password"),
        s.userDomain(),
        required(s.project(), "project"),
        s.projectDomain(),
        s.region(),
        s.endpointInterface());
  }

  private static String required(java.util.Optional<String> v, String key) {
    return v.filter(x -> !x.isBlank())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "coffer.taskmanager.backup.swift."
                        + key
                        + " is required by the swift storage"));
  }

  /** The storage kind. */
  public String kind() {
    return config.backup().storage();
  }

  /** Whether each project's backups are kept apart by OS permissions (see the class comment). */
  public boolean isolated() {
    return ROOT && config.local().isolation() && !SwiftStorage.KIND.equals(kind());
  }

  /** The storage holding a project's backups, its directory created on first use. */
  public BackupStorage forProject(String project) throws IOException {
    if (SwiftStorage.KIND.equals(kind())) {
      return swift();
    }
    return BackupStorages.create(kind(), projectDirectory(project, null));
  }

  /**
   * Makes sure a project's directory exists for its instances: owned by {@code group} (the
   * project's OS group) when isolating, else by the guests' OS user. Returns it.
   */
  public Path projectDirectory(String project, String group) throws IOException {
    Path dir = root().resolve(BackupStorages.projectDir(project));
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    if (isolated() && group != null) {
      Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class)
          .setGroup(lookup(dir).lookupPrincipalByGroupName(group));
      // setgid: what the guests create inside (containers, files) stays the project's
      chmod(dir, "2770");
    } else if (!isolated()) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      if (ROOT) {
        Files.setOwner(dir, lookup(dir).lookupPrincipalByName(config.local().runAs()));
      }
    }
    return dir;
  }

  /** The storage's own directory: 711 and root's when isolating, else the guests' user's, 700. */
  private Path root() throws IOException {
    Path dir = path();
    Files.createDirectories(dir);
    if (isolated()) {
      Files.setOwner(dir, lookup(dir).lookupPrincipalByName("root"));
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    } else {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      if (ROOT) {
        Files.setOwner(dir, lookup(dir).lookupPrincipalByName(config.local().runAs()));
      }
    }
    return dir;
  }

  private static UserPrincipalLookupService lookup(Path dir) {
    return dir.getFileSystem().getUserPrincipalLookupService();
  }

  /** chmod with the special bits, which Java's permission sets cannot express. */
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

  private BackupStorage swift() {
    BackupStorage s = swift;
    if (s == null) {
      synchronized (this) {
        if (swift == null) {
          swift =
              BackupStorages.swift(
                  swiftAccount(), swiftSettings().container(), swiftSettings().segmentBytes());
        }
        s = swift;
      }
    }
    return s;
  }
}
