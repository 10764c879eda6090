package io.coffer.system;

import io.coffer.testing.ServiceProcess;
import io.coffer.testing.openstack.FakeOpenStack;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the stub Nova's servers run: when one boots, a real guest agent is started on this host with
 * the guest configuration cloud-init would have written (decoded from the user-data), listening on
 * the server's fixed IP (a loopback address), with a directory standing in for its data volume;
 * when the server is deleted, the guest and its database go.
 */
final class VirtualMachines implements AutoCloseable {

  static final Path ROOT = Path.of("/tmp/coffer-system-test/vms");
  private static final boolean ROOT_USER = "root".equals(System.getProperty("user.name"));

  private final String configPath;
  private final Map<String, Process> guests = new ConcurrentHashMap<>();
  private final Map<String, Path> dirs = new ConcurrentHashMap<>();
  private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

  VirtualMachines(String configPath) {
    this.configPath = configPath;
    Suite.deleteTree(ROOT);
  }

  /** Problems met while booting (a guest that could not start). */
  List<String> failures() {
    return failures;
  }

  /** The guest configuration a server booted with. */
  Properties configOf(FakeOpenStack.Booted b) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(b.file(configPath)));
    return p;
  }

  /** Starts the guest agent of a server that booted. */
  void boot(FakeOpenStack.Booted b) {
    try {
      Properties p = configOf(b);
      Path dir = Files.createDirectories(ROOT.resolve(b.serverId()));
      Files.createDirectories(dir.resolve("config"));
      String ip = b.addresses().get(0);
      p.setProperty("coffer.guest.data-dir", dir.toString());
      p.setProperty("coffer.guest.bind-address", ip);
      p.setProperty("quarkus.http.host", ip);
      p.setProperty("quarkus.http.port", "8790");
      Path config = dir.resolve("config/application.properties");
      Files.deleteIfExists(config);
      Files.createFile(
          config,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (OutputStream out = Files.newOutputStream(config)) {
        p.store(out, "written by cloud-init");
      }
      List<String> cmd = new ArrayList<>();
      cmd.add("setsid");
      if (ROOT_USER) {
        // as on a real server, the database does not run as root
        UserPrincipal postgres =
            dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        try (Stream<Path> all = Files.walk(dir)) {
          for (Path f : all.toList()) {
            Files.setOwner(f, postgres);
          }
        }
        cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
      }
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(List.of("-Xmx64m", "-XX:+UseSerialGC", "-Dquarkus.banner.enabled=false"));
      cmd.add("-jar");
      cmd.add(ServiceProcess.jarOf("guestagent").toString());
      Process guest =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("guest.log").toFile())
              .start();
      guests.put(b.name(), guest);
      dirs.put(b.name(), dir);
    } catch (IOException | RuntimeException e) {
      failures.add(b.name() + ": " + e);
    }
  }

  /** Keeps a deleted server's guest log beside the daemons' logs, for a failure's diagnosis. */
  private static void keepLog(String serverName, Path dir) {
    try {
      Path logs = Files.createDirectories(Path.of("target", "processes"));
      Path log = dir.resolve("guest.log");
      if (Files.exists(log)) {
        Files.copy(
            log,
            logs.resolve("vm-" + serverName + ".log"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // only a diagnosis is lost
    }
  }

  /** The guest's output of a server. */
  String logOf(String serverName) {
    Path dir = dirs.get(serverName);
    try {
      return dir == null ? "" : Files.readString(dir.resolve("guest.log"));
    } catch (IOException e) {
      return "";
    }
  }

  /** Stops the guest and the database of a deleted server. */
  void delete(String serverName) {
    Process guest = guests.remove(serverName);
    Path dir = dirs.remove(serverName);
    if (guest != null) {
      signal(guest.pid(), "TERM");
      try {
        if (!guest.waitFor(15, TimeUnit.SECONDS)) {
          signal(guest.pid(), "KILL");
          guest.waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (dir != null) {
      Path pid = dir.resolve("data/postmaster.pid");
      try {
        if (Files.exists(pid)) {
          long p = Long.parseLong(Files.readAllLines(pid).get(0).trim());
          ProcessHandle.of(p).ifPresent(ProcessHandle::destroyForcibly);
        }
      } catch (IOException | RuntimeException e) {
        // no database left
      }
      keepLog(serverName, dir);
      Suite.deleteTree(dir);
    }
  }

  /** Servers whose guests run. */
  int running() {
    return (int) guests.values().stream().filter(Process::isAlive).count();
  }

  private static void signal(long pgid, String signal) {
    try {
      new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid).start().waitFor();
    } catch (IOException e) {
      // gone already
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    for (String name : List.copyOf(guests.keySet())) {
      delete(name);
    }
    Suite.deleteTree(ROOT);
  }
}
