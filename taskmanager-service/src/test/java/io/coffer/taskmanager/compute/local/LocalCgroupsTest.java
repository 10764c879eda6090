package io.coffer.taskmanager.compute.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.coffer.taskmanager.config.TaskManagerConfig;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The instances' cgroups on this host's real cgroup hierarchy (the CI machines run the suite as
 * root with writable cgroup v1 controllers): limits written where the kernel reads them, a process
 * started through the join command lands in the groups, a memory limit below what a process holds
 * is refused rather than killing it, and removal leaves nothing.
 */
class LocalCgroupsTest {

  private static final long MB = 1024 * 1024;
  private final List<Process> started = new ArrayList<>();
  private LocalCgroups cgroups;
  private String id;

  static TaskManagerConfig config(boolean limits, String root) {
    TaskManagerConfig.Local local =
        (TaskManagerConfig.Local)
            Proxy.newProxyInstance(
                LocalCgroupsTest.class.getClassLoader(),
                new Class<?>[] {TaskManagerConfig.Local.class},
                (p, m, a) ->
                    switch (m.getName()) {
                      case "limits" -> limits;
                      case "cgroupRoot" -> java.util.Optional.of(root);
                      default -> throw new UnsupportedOperationException(m.getName());
                    });
    return (TaskManagerConfig)
        Proxy.newProxyInstance(
            LocalCgroupsTest.class.getClassLoader(),
            new Class<?>[] {TaskManagerConfig.class},
            (p, m, a) -> {
              if (m.getName().equals("local")) {
                return local;
              }
              throw new UnsupportedOperationException(m.getName());
            });
  }

  @BeforeEach
  void setUp() {
    cgroups = new LocalCgroups(config(true, "coffer-unit-test"));
    id = UUID.randomUUID().toString();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : started) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (cgroups.enabled()) {
      cgroups.remove(id);
    }
  }

  private Process startIn(String... command) throws Exception {
    List<String> cmd = new ArrayList<>(cgroups.joinCommand(id));
    cmd.addAll(List.of(command));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    started.add(p);
    return p;
  }

  @Test
  void turnedOffSaysSo() {
    LocalCgroups off = new LocalCgroups(config(false, "coffer-unit-test"));
    assertThat(off.enabled()).isFalse();
    assertThat(off.describe()).startsWith("off (local.limits=false)");
    assertThat(off.instances()).isEmpty();
  }

  @Test
  void aHostWithoutControllersSaysSo(@org.junit.jupiter.api.io.TempDir Path fakeRoot) {
    assumeTrue("root".equals(System.getProperty("user.name")));
    LocalCgroups none = new LocalCgroups(config(true, "coffer-unit-test"), fakeRoot);
    assertThat(none.enabled()).isFalse();
    assertThat(none.describe()).contains("no cgroup memory and cpu controllers");
  }

  @Test
  void limitsAreWrittenJoinedAndRemoved() throws Exception {
    assumeTrue(cgroups.enabled(), cgroups.describe());
    assertThat(cgroups.apply(id, new LocalCgroups.Limits(256 * MB, 2))).isTrue();
    assertThat(cgroups.memoryLimit(id)).contains(256 * MB);
    List<Path> groups = cgroups.groups(id);
    if (groups.size() == 2) {
      assertThat(Files.readString(groups.get(1).resolve("cpu.cfs_quota_us")).strip())
          .isEqualTo("200000");
    } else {
      assertThat(Files.readString(groups.get(0).resolve("cpu.max")).strip())
          .isEqualTo("200000 100000");
    }
    assertThat(cgroups.instances()).contains(id);

    Process sleeper = startIn("sleep", "60");
    String self = "/proc/" + sleeper.pid() + "/cgroup";
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> Files.readString(Path.of(self)).contains("coffer-unit-test/" + id));
    for (Path g : groups) {
      assertThat(Files.readString(g.resolve("cgroup.procs")))
          .contains(Long.toString(sleeper.pid()));
    }

    // a larger flavor is applied live
    assertThat(cgroups.apply(id, new LocalCgroups.Limits(512 * MB, 1))).isTrue();
    assertThat(cgroups.memoryLimit(id)).contains(512 * MB);

    sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    cgroups.remove(id);
    for (Path g : groups) {
      assertThat(g).doesNotExist();
    }
    assertThat(cgroups.instances()).doesNotContain(id);
  }

  @Test
  void aLimitBelowWhatIsInUseIsRefusedNotKilled() throws Exception {
    assumeTrue(cgroups.enabled(), cgroups.describe());
    assertThat(cgroups.apply(id, new LocalCgroups.Limits(512 * MB, 1))).isTrue();
    Process holder =
        startIn(
            "python3",
            "-c",
            "import sys, time\n"
                + "b = bytearray(b'x' * (200 << 20))\n"
                + "print('held', flush=True)\n"
                + "time.sleep(60)\n");
    String line =
        new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()))
            .readLine();
    assertThat(line).isEqualTo("held");

    assertThat(cgroups.apply(id, new LocalCgroups.Limits(64 * MB, 1))).isFalse();
    assertThat(holder.isAlive()).isTrue();
    assertThat(cgroups.memoryLimit(id).orElseThrow()).isGreaterThanOrEqualTo(200 * MB);

    // once it is gone the small limit fits
    holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    assertThat(cgroups.apply(id, new LocalCgroups.Limits(64 * MB, 1))).isTrue();
    assertThat(cgroups.memoryLimit(id)).contains(64 * MB);
  }

  @Test
  void recordedLimitsReadBack() {
    LocalCgroups.Limits l = new LocalCgroups.Limits(2048 * MB, 3);
    assertThat(LocalCgroups.Limits.parse(l.render())).isEqualTo(l);
    assertThat(LocalCgroups.Limits.of(null)).isEqualTo(new LocalCgroups.Limits(512 * MB, 1));
  }
}
