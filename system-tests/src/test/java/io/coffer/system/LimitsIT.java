package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The flavor enforced on the local driver's host: an instance's guest and database server run in
 * cgroups holding the flavor's memory and vCPUs, so a query that wants more memory than the flavor
 * has ends in a killed backend (the server recovers, its data intact) instead of the host's
 * out-of-memory killer picking anything; a resize changes the limits; delete removes the groups.
 */
class LimitsIT {

  private static final Duration READY = Duration.ofSeconds(120);
  private static final long MB = 1024 * 1024;
  private static final Tenant T = new Tenant();

  @BeforeAll
  static void suite() {
    Suite.start();
  }

  private static boolean v2() {
    return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
  }

  private static long memoryLimit(String id) throws Exception {
    Path g = Suite.cgroupsOf(id).get(0);
    String v = Files.readString(g.resolve(v2() ? "memory.max" : "memory.limit_in_bytes")).strip();
    return Long.parseLong(v);
  }

  private static long cpuQuota(String id) throws Exception {
    List<Path> groups = Suite.cgroupsOf(id);
    if (v2()) {
      return Long.parseLong(Files.readString(groups.get(0).resolve("cpu.max")).split(" ")[0]);
    }
    return Long.parseLong(Files.readString(groups.get(1).resolve("cpu.cfs_quota_us")).strip());
  }

  private static long oomKills(String id) throws Exception {
    Path g = Suite.cgroupsOf(id).get(0);
    for (String line :
        Files.readAllLines(g.resolve(v2() ? "memory.events" : "memory.oom_control"))) {
      if (line.startsWith("oom_kill ")) {
        return Long.parseLong(line.substring("oom_kill ".length()).strip());
      }
    }
    throw new AssertionError("no oom_kill counter in " + g);
  }

  private static long firstLine(Path file) throws Exception {
    return Long.parseLong(Files.readAllLines(file).get(0).strip());
  }

  private static Connection connect(String ip, String password) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + ip + ":5432/postgres?connectTimeout=5", "root", password);
  }

  private static void resize(String id, String flavor) {
    T.as()
        .body("{\"resize\": {\"flavorRef\": \"" + flavor + "\"}}")
        .post(T.path("instances/" + id + "/action"))
        .then()
        .statusCode(202);
    await().atMost(READY).until(() -> flavor.equals(T.show(id).getString("instance.flavor.id")));
    T.await(id, "ACTIVE", READY);
  }

  /** The guest agent's JVM of an instance (a descendant of its recorded process group leader). */
  private static ProcessHandle guestJvm(String id) throws Exception {
    long leader = firstLine(Suite.INSTANCES.resolve(id).resolve("guest.pid"));
    ProcessHandle h = ProcessHandle.of(leader).orElseThrow();
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(h), h.descendants())
        .filter(p -> p.info().command().orElse("").endsWith("/java"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no guest JVM under " + leader));
  }

  @Test
  void theHostsGuestsShareOneClassArchive() throws Exception {
    Path dir = Suite.INSTANCES.resolveSibling("guest-cds");
    Path[] archive = new Path[1];
    // made by a training run of the guest when the taskmanager starts
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () -> {
              if (!Files.isDirectory(dir)) {
                return false;
              }
              try (var files = Files.list(dir)) {
                archive[0] =
                    files
                        .filter(f -> f.getFileName().toString().matches("guest-[0-9a-f]{16}\\.jsa"))
                        .findFirst()
                        .orElse(null);
              }
              return archive[0] != null;
            });
    String id = T.createShop("shared-classes", 1, "shared-Secret1", null);
    T.await(id, "ACTIVE", READY);
    List<String> maps =
        Files.readAllLines(Path.of("/proc", Long.toString(guestJvm(id).pid()), "maps"));
    // the guests' own archive, and the JDK's at its fixed address: both mapped, not copied
    assertThat(maps).anyMatch(l -> l.endsWith(archive[0].toString()));
    assertThat(maps).anyMatch(l -> l.startsWith("800000000-") && l.endsWith("classes.jsa"));
    T.as().delete(T.path("instances/" + id)).then().statusCode(202);
    T.awaitDeleted(id, READY);
  }

  @Test
  void theFlavorLimitsMemoryAndCpuAndAResizeChangesThem() throws Exception {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "cgroups need the suite to run as root");
    String id = T.createShop("limits", 1, "limits-Secret1", null);
    String ip = T.await(id, "ACTIVE", READY).getString("instance.ip[0]");
    Path dir = Suite.INSTANCES.resolve(id);

    // m1.tiny: 512 MB, one vCPU, for the guest and the database server together
    assertThat(memoryLimit(id)).isEqualTo(512 * MB);
    assertThat(cpuQuota(id)).isEqualTo(100_000);
    long guest = firstLine(dir.resolve("guest.pid"));
    long postmaster = firstLine(dir.resolve("data/postmaster.pid"));
    for (Path g : Suite.cgroupsOf(id)) {
      assertThat(Files.readAllLines(g.resolve("cgroup.procs")))
          .as(g.toString())
          .contains(Long.toString(guest), Long.toString(postmaster));
    }

    String root =
        T.as()
            .post(T.path("instances/" + id + "/root"))
            .then()
            .statusCode(200)
            .extract()
            .path("user.password");
    try (Connection c = connect(ip, root);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE kept (n int)");
      st.execute("INSERT INTO kept SELECT generate_series(1, 1000)");
      // a backend is what the kernel ends first when memory runs out
      st.execute("CREATE TEMP TABLE out (line text)");
      st.execute("COPY out FROM PROGRAM 'cat /proc/self/oom_score_adj'");
      try (ResultSet rs = st.executeQuery("SELECT line FROM out")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("500");
      }
    }

    long killsBefore = oomKills(id);
    try (Connection c = connect(ip, root);
        Statement st = c.createStatement()) {
      st.execute("SET work_mem = '2GB'");
      // sorting ~2 GB in memory on a 512 MB flavor
      assertThatThrownBy(
              () ->
                  st.executeQuery(
                      "SELECT count(*) FROM (SELECT md5(g::text) AS m"
                          + " FROM generate_series(1, 20000000) g ORDER BY 1) s"))
          .isInstanceOf(SQLException.class);
    }
    assertThat(oomKills(id)).isGreaterThan(killsBefore);
    // the guest was not what the kernel killed, and the server comes back with its data
    assertThat(ProcessHandle.of(guest).map(ProcessHandle::isAlive)).contains(true);
    await()
        .atMost(READY)
        .ignoreExceptions()
        .until(
            () -> {
              try (Connection c = connect(ip, root);
                  Statement st = c.createStatement();
                  ResultSet rs = st.executeQuery("SELECT count(*) FROM kept")) {
                rs.next();
                return rs.getInt(1) == 1000;
              }
            });
    T.await(id, "ACTIVE", READY);

    // a larger flavor: more memory and two vCPUs; back to the small one
    resize(id, "3");
    assertThat(memoryLimit(id)).isEqualTo(4096 * MB);
    assertThat(cpuQuota(id)).isEqualTo(200_000);
    resize(id, "1");
    assertThat(memoryLimit(id)).isEqualTo(512 * MB);
    assertThat(cpuQuota(id)).isEqualTo(100_000);

    T.as().delete(T.path("instances/" + id)).then().statusCode(202);
    T.awaitDeleted(id, READY);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              for (Path g : Suite.cgroupsOf(id)) {
                assertThat(g).doesNotExist();
              }
            });
  }
}
