package io.coffer.taskmanager.compute.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coffer.testing.Fixtures;
import io.coffer.testing.Projects;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The startup reconciler of the local driver, on real directories and processes. */
@QuarkusTest
class LocalReconcilerTest {

  @Inject LocalReconciler reconciler;
  @Inject LocalComputeDriver compute;

  private Path server(String id) throws Exception {
    Path config = Files.createDirectories(compute.baseDir().resolve(id).resolve("config"));
    Files.writeString(config.resolve("application.properties"), "coffer.guest.instance-id=" + id);
    return config.getParent();
  }

  /** A process that looks like a guest agent of {@code dir}: in its own session, working there. */
  private static Process guestIn(Path dir) throws Exception {
    Process p =
        new ProcessBuilder("setsid", "sh", "-c", "sleep 600; true", "quarkus-run.jar")
            .directory(dir.toFile())
            .start();
    Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              String[] f = Files.readString(stat).replaceFirst("^.*\\) ", "").split(" ");
              return f[2].equals(Long.toString(p.pid()));
            });
    return p;
  }

  @Test
  void anInstanceStillBeingBuiltIsLeftToItsCreateTask() throws Exception {
    // a create cut short by a crash: its configuration is written, its guest not started yet
    String id = Fixtures.instance(Projects.fresh()).building().insert();
    Path dir = server(id);
    try {
      reconciler.onStart(null);
      assertThat(dir.resolve("guest.pid")).as("a guest started by the reconciler").doesNotExist();
      assertThat(LocalProcesses.workingUnder(dir.toRealPath())).isEmpty();
    } finally {
      compute.delete(id);
    }
  }

  @Test
  void aBuiltInstanceHasItsGuestLookedAfter() throws Exception {
    String id = Fixtures.instance(Projects.fresh()).insert();
    Path dir = server(id);
    Process guest = guestIn(dir);
    try {
      reconciler.onStart(null);
      // the running guest is found and recorded, not started a second time
      assertThat(Long.parseLong(Files.readString(dir.resolve("guest.pid")).trim()))
          .isEqualTo(guest.pid());
      assertThat(guest.isAlive()).isTrue();
    } finally {
      compute.delete(id);
      guest.destroyForcibly();
    }
  }
}
