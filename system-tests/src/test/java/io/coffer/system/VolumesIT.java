package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The volume enforced on the local driver's host: an instance's data lives on a file system of its
 * volume's size, so filling it ends in refused writes and a BLOCKED instance with a fault that says
 * why, every committed row kept; a volume resize gives it room and it comes back; delete leaves no
 * mount, loop device or image.
 */
class VolumesIT {

  private static final Duration READY = Duration.ofSeconds(120);
  private static final String PASSWORD = "volumes-Secret1";
  private static final int BATCH = 50_000;
  private static final Tenant T = new Tenant();

  @BeforeAll
  static void suite() {
    Suite.start();
  }

  private static Connection connect(String ip) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://" + ip + ":5432/shop?connectTimeout=5&socketTimeout=120",
        "shop",
        PASSWORD);
  }

  /** Writes one batch of about 50 MB of incompressible rows in one transaction. */
  private static void writeBatch(String ip) throws SQLException {
    try (Connection c = connect(ip);
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO fill SELECT g, repeat(md5(g::text || random()::text), 30)"
              + " FROM generate_series(1, "
              + BATCH
              + ") g");
    }
  }

  private static long rows(String ip) throws SQLException {
    try (Connection c = connect(ip);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM fill")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** The blocks a file really takes on the host (a sparse file takes fewer than its size). */
  private static long allocatedBytes(Path file) throws Exception {
    Process p =
        new ProcessBuilder("du", "--block-size=1", file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.waitFor()).as(out).isZero();
    return Long.parseLong(out.split("\\s+")[0]);
  }

  private static String losetup(Path image) throws Exception {
    Process p =
        new ProcessBuilder("losetup", "-j", image.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor();
    return out;
  }

  @Test
  void aFullVolumeBlocksTheInstanceAndAResizeBringsItBackWithItsRows() throws Exception {
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "volumes need the suite to run as root");
    String id = T.createShop("volumes", 1, PASSWORD, null);
    String ip = T.await(id, "ACTIVE", READY).getString("instance.ip[0]");
    Path dir = Suite.INSTANCES.resolve(id);
    Path image = Suite.VOLUMES.resolve(id + ".img");

    // its own 1 GB file system, sparse: nearly nothing allocated on the host yet
    assertThat(Suite.mounted(dir)).isTrue();
    assertThat(Files.size(image)).isEqualTo(1L << 30);
    assertThat(allocatedBytes(image)).isLessThan(300L << 20);
    assertThat(losetup(image)).contains(image.toString());
    double usedAtStart = T.show(id).getDouble("instance.volume.used");
    assertThat(usedAtStart).isGreaterThan(0.0).isLessThan(0.3);

    try (Connection c = connect(ip);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE fill (n int, pad text)");
    }
    long[] committed = {0};
    await()
        .atMost(Duration.ofMinutes(6))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              try {
                writeBatch(ip);
                committed[0] += BATCH;
              } catch (SQLException refused) {
                // no space left: the write is refused, what was committed stays
              }
              return "BLOCKED".equals(T.show(id).getString("instance.operating_status"));
            });
    assertThat(committed[0]).as("rows committed before the volume filled").isGreaterThan(0);
    JsonPath blocked = T.show(id);
    // the server is there (ACTIVE); the database on it cannot write (BLOCKED), and says why
    assertThat(blocked.getString("instance.status")).isEqualTo("ACTIVE");
    assertThat(blocked.getString("instance.fault.message"))
        .isEqualTo("The data volume is full: writes fail until the volume is resized.");
    // the usage shown is at most 30 s old
    await()
        .atMost(Duration.ofSeconds(45))
        .until(() -> T.show(id).getDouble("instance.volume.used") > 0.9);

    T.as()
        .body("{\"resize\": {\"volume\": {\"size\": 2}}}")
        .post(T.path("instances/" + id + "/action"))
        .then()
        .statusCode(202);
    await().atMost(READY).until(() -> T.show(id).getInt("instance.volume.size") == 2);
    T.await(id, "ACTIVE", READY);
    assertThat(Files.size(image)).isEqualTo(2L << 30);
    await()
        .atMost(Duration.ofSeconds(45))
        .until(() -> T.show(id).getDouble("instance.volume.used") < 1.9);

    // every committed batch is there (a batch whose commit reply was lost may be there too)
    long rows = rows(ip);
    assertThat(rows).isGreaterThanOrEqualTo(committed[0]);
    assertThat(rows % BATCH).isZero();
    writeBatch(ip);
    assertThat(rows(ip)).isEqualTo(rows + BATCH);

    // the taskmanager restarted (killed): it reattaches, nothing of the instance moves
    Suite.crash("taskmanager-service");
    Suite.restart("taskmanager-service");
    assertThat(Suite.mounted(dir)).isTrue();
    T.await(id, "ACTIVE", READY);
    assertThat(rows(ip)).isEqualTo(rows + BATCH);

    T.as().delete(T.path("instances/" + id)).then().statusCode(202);
    T.awaitDeleted(id, READY);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(Suite.mounted(dir)).isFalse();
              assertThat(image).doesNotExist();
              assertThat(dir).doesNotExist();
            });
    assertThat(losetup(image)).isEmpty();
  }
}
