package io.coffer.taskmanager.compute.local;

import io.coffer.taskmanager.config.TaskManagerConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The OS accounts of local instances when the taskmanager runs as root: a user per instance ({@code
 * coffer-<12 hex of its id>}, no home, no login shell, its own private group), member of an OS
 * group per project ({@code cfp-<12 hex of a digest of the project>}). The instance's directory is
 * its user's alone; the project's backup directory is its group's. The user's comment names the
 * instance, so users left by an interrupted delete are found again.
 */
@ApplicationScoped
class LocalUsers {

  /** Prefix of the comment (GECOS) of an instance's user. */
  static final String COMMENT = "coffer instance ";

  private static final Object ACCOUNTS = new Object();
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private final TaskManagerConfig config;

  LocalUsers(TaskManagerConfig config) {
    this.config = config;
  }

  /** Whether instances get users of their own. */
  boolean enabled() {
    return ROOT && config.local().isolation();
  }

  /** The user name of an instance. */
  static String userOf(String instanceId) {
    return "coffer-" + instanceId.replace("-", "").substring(0, 12).toLowerCase();
  }

  /** The group name of a project. */
  static String groupOf(String project) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(project.getBytes(StandardCharsets.UTF_8));
      return "cfp-" + HexFormat.of().formatHex(d).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Creates the instance's user (and its project's group) unless they exist; returns the user. A
   * user of that name that belongs to another instance is refused.
   */
  String ensure(String instanceId, String project) {
    String user = userOf(instanceId);
    String group = groupOf(project);
    synchronized (ACCOUNTS) {
      if (!exists("group", group)) {
        run(List.of("groupadd", group));
      }
      String comment = commentOf(user);
      if (comment == null) {
        run(
            List.of(
                "useradd",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin",
                "--user-group",
                "--groups",
                group,
                "--comment",
                commentFor(instanceId),
                user));
        Log.infof("instance %s: OS user %s created (project group %s)", instanceId, user, group);
      } else if (!isFor(comment, instanceId)) {
        throw new IllegalStateException(
            "OS user " + user + " exists and is not instance " + instanceId + "'s");
      }
    }
    return user;
  }

  /**
   * Removes the instance's user. Its project's group stays: the project's backups keep its group
   * id, and a later instance of the project (a restore) must read them.
   */
  void remove(String instanceId) {
    String user = userOf(instanceId);
    synchronized (ACCOUNTS) {
      String comment = commentOf(user);
      if (comment == null || !isFor(comment, instanceId)) {
        return;
      }
      run(List.of("userdel", user));
      Log.infof("instance %s: OS user %s removed", instanceId, user);
    }
  }

  /**
   * The comment of an instance's user: the instance and the base directory of the deployment that
   * made it, so that another deployment on the same host (its own base directory) never takes it
   * for one of its orphans.
   */
  String commentFor(String instanceId) {
    return COMMENT + instanceId + " in " + baseDir();
  }

  /** Whether a user's comment names the instance (as this deployment writes it, or as before). */
  private boolean isFor(String comment, String instanceId) {
    return comment.equals(commentFor(instanceId)) || comment.equals(COMMENT + instanceId);
  }

  private String baseDir() {
    return config
        .local()
        .baseDir()
        .orElse(Path.of("/var/lib/coffer/instances"))
        .toAbsolutePath()
        .normalize()
        .toString()
        .replace(":", "_");
  }

  /** Whether the instance has its user (made by this deployment, or before comments named it). */
  boolean has(String instanceId) {
    String comment = commentOf(userOf(instanceId));
    return comment != null && isFor(comment, instanceId);
  }

  /**
   * The instances that have a user made by this deployment (for the orphan sweep); users of other
   * deployments on the host, and users whose comment does not say, are not its to judge.
   */
  Set<String> instances() {
    Set<String> ids = new TreeSet<>();
    String suffix = " in " + baseDir();
    for (String line : lines("/etc/passwd")) {
      String[] f = line.split(":", -1);
      if (f.length > 4
          && f[0].startsWith("coffer-")
          && f[4].startsWith(COMMENT)
          && f[4].endsWith(suffix)) {
        String id = f[4].substring(COMMENT.length(), f[4].length() - suffix.length());
        if (id.matches("[0-9a-fA-F-]{36}") && userOf(id).equals(f[0])) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  private static String commentOf(String user) {
    for (String line : lines("/etc/passwd")) {
      String[] f = line.split(":", -1);
      if (f.length > 4 && f[0].equals(user)) {
        return f[4];
      }
    }
    return null;
  }

  private static boolean exists(String db, String name) {
    for (String line : lines("/etc/" + db)) {
      if (line.startsWith(name + ":")) {
        return true;
      }
    }
    return false;
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** Runs an account tool; the account files' lock is retried while another tool holds it. */
  private static void run(List<String> cmd) {
    String out = "";
    for (int attempt = 1; attempt <= 20; attempt++) {
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(cmd.get(0) + " did not finish");
        }
        if (p.exitValue() == 0) {
          return;
        }
        // 10: cannot lock the account files (another tool has them)
        if (p.exitValue() != 10 && !out.contains("lock")) {
          break;
        }
        Thread.sleep(100L * attempt);
      } catch (IOException e) {
        throw new IllegalStateException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException(String.join(" ", cmd.subList(0, 1)) + " failed: " + out);
  }
}
