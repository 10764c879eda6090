package io.coffer.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coffer.testing.Db;
import io.coffer.testing.TestEnv;
import io.coffer.testing.openstack.FakeOpenStack;
import io.coffer.testing.openstack.RealOpenStack;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole control plane with the openstack compute driver and the Swift backup storage: Nova,
 * Neutron and Cinder are served at the HTTP boundary ({@link FakeOpenStack}) behind the real
 * Keystone, which the driver authenticates with and finds them in; the image is in the real Glance
 * and backups go to the real Swift ({@link RealOpenStack}); each server the stub Nova boots runs a
 * real guest agent and PostgreSQL ({@link VirtualMachines}), so everything past the compute API is
 * real: REST API, bus, taskmanager, conductor, guest, Swift, database.
 */
class OpenStackIT {

  private static final String CONFIG = "/etc/coffer/guest/application.properties";
  private static final Duration READY = Duration.ofSeconds(90);
  private static final String PASSWORD = "shop-Secret1";
  private static final String CUSTOM_FLAVOR = "8c1f4e2a-6b3d-4f5e-9a7b-0c1d2e3f4a5b";
  private static final Tenant TENANT = new Tenant();
  private static FakeOpenStack cloud;
  private static RealOpenStack real;
  private static String image;
  private static VirtualMachines vms;
  private static List<Map<String, Object>> flavorsBefore;

  @BeforeAll
  static void cloud() throws Exception {
    Suite.start();
    flavorsBefore = Db.rows("SELECT id, name, deleted FROM flavors");
    real = RealOpenStack.get();
    // Nova, Neutron and Cinder stubbed behind the real Keystone, in its catalog
    cloud = FakeOpenStack.behind(real, "127.0.6");
    real.register(cloud.endpoints());
    // the guest image in the real Glance
    image = real.createImage("coffer", "coffer-guest-postgresql-15", true, "coffer", "postgresql");
    cloud.flavor(CUSTOM_FLAVOR, "db.custom", 1024, 1, 10);
    vms = new VirtualMachines(CONFIG);
    cloud.onBoot(vms::boot);
    cloud.onDelete(vms::delete);
    Suite.reconfigure(
        "taskmanager-service",
        Map.ofEntries(
            Map.entry("coffer.taskmanager.compute-driver", "openstack"),
            Map.entry("coffer.taskmanager.openstack.auth-url", real.authUrl()),
            Map.entry("coffer.taskmanager.openstack.username", "coffer"),
            Map.entry("coffer.taskmanager.openstack.password", real.password("coffer")),
            Map.entry("coffer.taskmanager.openstack.project", "service"),
            Map.entry("coffer.taskmanager.openstack.network", FakeOpenStack.TENANT_NETWORK),
            Map.entry(
                "coffer.taskmanager.openstack.management-networks",
                FakeOpenStack.MANAGEMENT_NETWORK),
            Map.entry("coffer.taskmanager.openstack.image-id", image),
            Map.entry("coffer.taskmanager.openstack.poll-interval", "200ms"),
            Map.entry("coffer.taskmanager.openstack.server-timeout", "60s"),
            Map.entry("coffer.taskmanager.openstack.guest-bus-host", TestEnv.rabbitHost()),
            Map.entry("coffer.taskmanager.openstack.flavor-sync-interval", "2s"),
            Map.entry("coffer.taskmanager.backup.storage", "swift"),
            // backups go to the real Swift, through the real Keystone
            Map.entry("coffer.taskmanager.backup.swift.auth-url", real.authUrl()),
            Map.entry("coffer.taskmanager.backup.swift.username", "coffer"),
            Map.entry("coffer.taskmanager.backup.swift.password", real.password("coffer")),
            Map.entry("coffer.taskmanager.backup.swift.project", "service"),
            Map.entry("coffer.taskmanager.backup.swift.segment-bytes", "1048576")));
  }

  @AfterAll
  static void localAgain() {
    try {
      Suite.restore("taskmanager-service");
    } finally {
      vms.close();
      cloud.close();
      real.deleteImage("coffer", image);
      // the flavor list of the other tests, as it was
      Db.update("DELETE FROM flavors WHERE id = ?", CUSTOM_FLAVOR);
      for (Map<String, Object> f : flavorsBefore) {
        Db.update(
            "UPDATE flavors SET name = ?, deleted = ? WHERE id = ?",
            f.get("name"),
            f.get("deleted"),
            f.get("id"));
      }
    }
  }

  private static String create(String name, String restoreFrom) {
    return TENANT.createShop(name, 3, PASSWORD, restoreFrom);
  }

  private static String rows(String ip) throws SQLException {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + ip + ":5432/shop?connectTimeout=5", "shop", PASSWORD);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) || ':' || md5(string_agg(item, ',' ORDER BY id)) FROM items")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void anInstanceOnNovaIsBuiltUsedBackedUpToSwiftRestoredAndDeletedWithNothingLeft()
      throws Exception {
    // the API's flavor list is Nova's
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                TENANT
                    .as()
                    .get(TENANT.path("flavors"))
                    .then()
                    .extract()
                    .jsonPath()
                    .getList("flavors.name")
                    .contains("db.custom"));

    cloud.clearCalls();
    long start = System.nanoTime();
    String source = create("on-nova", null);
    String ip = TENANT.await(source, "ACTIVE", READY).getString("instance.ip[0]");
    long activeMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(vms.failures()).isEmpty();
    assertThat(ip).startsWith("127.0.6.");
    // the server Nova runs, with its volume, ports and security group
    String server = "coffer-" + source;
    assertThat(cloud.server(server).path("flavor").path("id").asText()).isEqualTo("1");
    assertThat(cloud.volume(server).path("size").asInt()).isEqualTo(3);
    assertThat(cloud.volume(server).path("status").asText()).isEqualTo("in-use");
    assertThat(cloud.resourcesNamed(source))
        .contains(server, "coffer_sg-" + source)
        .filteredOn(server::equals)
        .hasSize(4); // the server, its volume and its two ports
    assertThat(cloud.rulesOf("coffer_sg-" + source))
        .anySatisfy(r -> assertThat(r.path("port_range_min").asInt()).isEqualTo(5432));
    assertThat(cloud.calls())
        .contains(
            "POST /network/v2.0/security-groups",
            "POST /network/v2.0/security-group-rules",
            "POST /network/v2.0/ports",
            "POST /volume/v3/" + real.projectId("service") + "/volumes",
            "POST /compute/v2.1/servers");
    assertThat(cloud.count("POST /network/v2.0/ports")).isEqualTo(2);

    // database work on the guest Nova's server runs
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://" + ip + ":5432/shop?connectTimeout=5", "shop", PASSWORD);
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE items (id int PRIMARY KEY, item text)");
      st.execute(
          "INSERT INTO items SELECT g, md5(g::text) || repeat('x', 200) FROM generate_series(1,"
              + " 20000) g");
    }
    String contents = rows(ip);

    // an access change reaches the security group
    TENANT
        .as()
        .body("{\"instance\": {\"access\": {\"allowed_cidrs\": [\"10.1.0.0/16\"]}}}")
        .put(TENANT.path("instances/" + source))
        .then()
        .statusCode(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                cloud.rulesOf("coffer_sg-" + source).stream()
                    .filter(r -> "ingress".equals(r.path("direction").asText()))
                    .map(r -> r.path("remote_ip_prefix").asText())
                    .toList()
                    .equals(List.of("10.1.0.0/16")));
    TENANT.await(source, "ACTIVE", READY);

    // a backup into Swift, in segments
    String backup =
        TENANT
            .as()
            .body("{\"backup\": {\"name\": \"to-swift\", \"instance\": \"" + source + "\"}}")
            .post(TENANT.path("backups"))
            .then()
            .statusCode(202)
            .extract()
            .path("backup.id");
    long backupStart = System.nanoTime();
    TENANT.awaitBackup(backup, "COMPLETED", READY);
    long backupMs = (System.nanoTime() - backupStart) / 1_000_000;
    assertThat(Db.value("SELECT location FROM backups WHERE id = ?", backup))
        .isEqualTo("swift://coffer-backups/" + backup);
    assertThat(real.objects("coffer", "coffer-backups")).contains(backup);
    assertThat(real.objects("coffer", "coffer-backups_segments"))
        .filteredOn(o -> o.startsWith(backup + "/"))
        .hasSizeGreaterThan(1);

    // restored into a second server
    String restored = create("from-swift", backup);
    String restoredIp = TENANT.await(restored, "ACTIVE", READY).getString("instance.ip[0]");
    assertThat(restoredIp).isNotEqualTo(ip).startsWith("127.0.6.");
    assertThat(rows(restoredIp)).isEqualTo(contents);

    // everything goes with the instances and the backup
    for (String id : List.of(source, restored)) {
      TENANT.as().delete(TENANT.path("instances/" + id)).then().statusCode(202);
    }
    for (String id : List.of(source, restored)) {
      TENANT.awaitDeleted(id, READY);
      assertThat(cloud.resourcesNamed(id)).as("OpenStack resources of " + id).isEmpty();
    }
    TENANT.as().delete(TENANT.path("backups/" + backup)).then().statusCode(202);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !real.objects("coffer", "coffer-backups").contains(backup)
                    && real.objects("coffer", "coffer-backups_segments").stream()
                        .noneMatch(o -> o.startsWith(backup + "/")));
    assertThat(vms.running()).isZero();
    assertThat(cloud.count("DELETE /compute/v2.1/servers/")).isEqualTo(2);
    System.out.printf(
        "openstack: create→ACTIVE/HEALTHY %d ms, backup to Swift %d ms, %d OpenStack calls%n",
        activeMs, backupMs, cloud.calls().size());
  }

  /** Creates an instance the cloud refuses; returns the fault the API shows once it is ERROR. */
  private static String faultOfRefusedCreate(String name) {
    String id = create(name, null);
    String fault = TENANT.await(id, "ERROR", READY).getString("instance.fault.message");
    // what the create made before Nova refused is removed right after the failure is recorded,
    // and delete ends the instance
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(cloud.resourcesNamed(id)).as("OpenStack resources of " + id).isEmpty());
    TENANT.as().delete(TENANT.path("instances/" + id)).then().statusCode(202);
    TENANT.awaitDeleted(id, READY);
    return fault;
  }

  @Test
  void aServerNovaPutsInErrorEndsTheInstanceInErrorWithNovasFault() {
    cloud.failServers("No valid host was found. There are not enough hosts available.");
    try {
      assertThat(faultOfRefusedCreate("no-host"))
          .contains("could not be created")
          .contains("No valid host was found");
    } finally {
      cloud.failServers(null);
    }
  }

  @Test
  void novasQuotaRefusalEndsTheInstanceInErrorWithTheQuotaInItsFault() {
    cloud.quotaExceeded(true);
    try {
      assertThat(faultOfRefusedCreate("over-quota")).contains("Quota exceeded for instances");
    } finally {
      cloud.quotaExceeded(false);
    }
  }
}
