package io.coffer.taskmanager.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coffer.model.common.AccessInfo;
import io.coffer.model.common.FlavorInfo;
import io.coffer.storage.openstack.OpenStackAccount;
import io.coffer.storage.openstack.OpenStackSession;
import io.coffer.taskmanager.compute.openstack.OpenStackComputeDriver;
import io.coffer.taskmanager.compute.openstack.OpenStackSettings;
import io.coffer.testing.Db;
import io.coffer.testing.openstack.FakeOpenStack;
import io.quarkus.test.junit.QuarkusTest;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The openstack compute driver against OpenStack APIs served at the HTTP boundary (Keystone v3,
 * Nova, Neutron, Cinder, Glance) by {@link FakeOpenStack}.
 */
@QuarkusTest
class OpenStackDriverTest {

  private static final String CONFIG_PATH = "/etc/coffer/guest/application.properties";

  private FakeOpenStack cloud;
  private OpenStackSession clients;
  private OpenStackComputeDriver driver;
  private String image;
  private final List<FakeOpenStack.Booted> booted = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    cloud = new FakeOpenStack("127.0.6");
    image = cloud.image("coffer-postgresql-15", "coffer", "postgresql");
    cloud.onBoot(booted::add);
    OpenStackSettings settings = settings(cloud, Optional.empty());
    clients = new OpenStackSession(settings.account());
    driver = new OpenStackComputeDriver(settings, clients, spec -> List.of("coffer", "postgresql"));
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  static OpenStackSettings settings(FakeOpenStack cloud, Optional<String> imageId) {
    return new OpenStackSettings(
        account(cloud),
        FakeOpenStack.TENANT_NETWORK,
        List.of(FakeOpenStack.MANAGEMENT_NETWORK),
        Optional.of(FakeOpenStack.EXTERNAL_NETWORK),
        imageId,
        Optional.of("ssd"),
        Optional.empty(),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        Duration.ofSeconds(10),
        Duration.ofMillis(20),
        Optional.of("rabbit.example.org"),
        CONFIG_PATH,
        "coffer-guest",
        Map.of());
  }

  static OpenStackAccount account(FakeOpenStack cloud) {
    return new OpenStackAccount(
        cloud.authUrl(),
        FakeOpenStack.USER,
        FakeOpenStack.PASSWORD,
        "Default",
        FakeOpenStack.PROJECT,
        "Default",
        Optional.empty(),
        "public");
  }

  private static ServerSpec spec(String id, String imageId, String locality, boolean isPublic) {
    return new ServerSpec(
        id,
        "db-" + id.substring(0, 8),
        new FlavorInfo("1", "m1.tiny", 512, 1, 1, 0, 0),
        2,
        null,
        "postgresql",
        "15",
        imageId,
        null,
        locality,
        id,
        new AccessInfo(isPublic, List.of("10.0.0.0/8", "192.168.1.0/24")),
        Map.of(
            "coffer.guest.instance-id", id,
            "coffer.bus.host", "127.0.0.1",
            "coffer.guest.message-key", "c2VjcmV0LWtleS1ub3QtbG9nZ2Vk"));
  }

  @Test
  void aServerIsBuiltFoundResizedRebootedAndDeletedWithEverythingItOwns() throws Exception {
    String id = UUID.randomUUID().toString();

    Server server = driver.create(spec(id, null, "anti-affinity", true));

    assertThat(server.status()).isEqualTo("ACTIVE");
    assertThat(server.addresses()).extracting(Server.Address::type).first().isEqualTo("private");
    assertThat(server.addresses().get(0).address()).startsWith("127.0.6.");
    // the floating IP is shown, the management network's address is not
    assertThat(server.addresses())
        .extracting(Server.Address::type)
        .containsExactly("private", "public");
    assertThat(server.addresses()).noneMatch(a -> a.address().startsWith("10.20.0."));
    assertThat(server.volumeId()).isEqualTo(cloud.volume("coffer-" + id).path("id").asText());
    // the image found by the datastore version's tags, the volume attached, the group used
    var nova = cloud.server("coffer-" + id);
    assertThat(nova.path("image").path("id").asText()).isEqualTo(image);
    assertThat(cloud.volume("coffer-" + id).path("status").asText()).isEqualTo("in-use");
    assertThat(cloud.volume("coffer-" + id).path("volume_type").asText()).isEqualTo("ssd");
    assertThat(cloud.volume("coffer-" + id).path("size").asInt()).isEqualTo(2);
    assertThat(cloud.resources().get("server_groups")).containsExactly("coffer-" + id);
    assertThat(cloud.resources().get("ports")).containsExactly("coffer-" + id, "coffer-" + id);
    // the datastore's port opened to each allowed CIDR, nothing else inbound
    assertThat(cloud.rulesOf("coffer_sg-" + id))
        .filteredOn(r -> "ingress".equals(r.path("direction").asText()))
        .extracting(r -> r.path("remote_ip_prefix").asText() + ":" + r.path("port_range_min"))
        .containsExactlyInAnyOrder("10.0.0.0/8:5432", "192.168.1.0/24:5432");
    // cloud-init writes the guest configuration (bus host as the servers reach it)
    assertThat(booted).hasSize(1);
    Properties guest = new Properties();
    guest.load(new StringReader(booted.get(0).file(CONFIG_PATH)));
    assertThat(guest.getProperty("coffer.guest.instance-id")).isEqualTo(id);
    assertThat(guest.getProperty("coffer.bus.host")).isEqualTo("rabbit.example.org");
    assertThat(guest.getProperty("coffer.guest.message-key"))
        .isEqualTo("c2VjcmV0LWtleS1ub3QtbG9nZ2Vk");
    assertThat(booted.get(0).userData()).contains("systemctl, enable, --now, coffer-guest");

    // a repeated create (a redelivered task) boots nothing more
    Server again = driver.create(spec(id, null, "anti-affinity", true));
    assertThat(again.serverId()).isEqualTo(server.serverId());
    assertThat(cloud.count("POST /compute/v2.1/servers")).isEqualTo(1);
    assertThat(driver.find(id)).map(Server::serverId).contains(server.serverId());
    assertThat(driver.instances()).contains(id);

    driver.resize(id, new FlavorInfo("2", "m1.small", 2048, 1, 20, 0, 0));
    assertThat(cloud.server("coffer-" + id).path("flavor").path("id").asText()).isEqualTo("2");
    assertThat(cloud.server("coffer-" + id).path("status").asText()).isEqualTo("ACTIVE");
    driver.resizeVolume(id, 5);
    assertThat(cloud.volume("coffer-" + id).path("size").asInt()).isEqualTo(5);
    driver.reboot(id);
    assertThat(cloud.server("coffer-" + id).path("status").asText()).isEqualTo("ACTIVE");
    assertThat(cloud.count("POST /compute/v2.1/servers/" + server.serverId() + "/action"))
        .isEqualTo(3);

    driver.delete(id);

    assertThat(cloud.resourcesNamed(id)).isEmpty();
    assertThat(cloud.resources().get("floatingips")).isEmpty();
    assertThat(driver.find(id)).isEmpty();
    assertThat(driver.instances()).doesNotContain(id);
    // deleting again finds nothing to do
    driver.delete(id);
    // one token served every call
    assertThat(cloud.authentications()).isEqualTo(1);
  }

  @Test
  void aServerNovaPutsInErrorFailsWithNovasFaultAndDeleteLeavesNothing() {
    String id = UUID.randomUUID().toString();
    cloud.failServers("No valid host was found. There are not enough hosts available.");

    assertThatThrownBy(() -> driver.create(spec(id, image, null, false)))
        .hasMessageContaining("Nova put the server in ERROR")
        .hasMessageContaining("No valid host was found");

    driver.delete(id);
    assertThat(cloud.resourcesNamed(id)).isEmpty();
  }

  @Test
  void aVolumeThatFailsStopsTheCreateBeforeABootAndItsPortsAreCleanedUp() {
    String id = UUID.randomUUID().toString();
    cloud.failVolumes(true);

    assertThatThrownBy(() -> driver.create(spec(id, image, null, false)))
        .hasMessageContaining("the volume went to error");
    assertThat(cloud.count("POST /compute/v2.1/servers")).isZero();
    assertThat(cloud.resourcesNamed(id)).isNotEmpty();

    driver.delete(id);
    assertThat(cloud.resourcesNamed(id)).isEmpty();
  }

  @Test
  void aResizeThatFailsSaysWhyAndTriesToRevert() {
    String id = UUID.randomUUID().toString();
    driver.create(spec(id, image, null, false));
    cloud.failResizes("No valid host was found for the resize.");

    assertThatThrownBy(() -> driver.resize(id, new FlavorInfo("3", "m1.medium", 4096, 2, 40, 0, 0)))
        .hasMessageContaining("the resize failed")
        .hasMessageContaining("No valid host was found for the resize.")
        .hasMessageContaining("the revert failed too");
    // resize, then the revert Nova refused
    String serverId = cloud.server("coffer-" + id).path("id").asText();
    assertThat(cloud.count("POST /compute/v2.1/servers/" + serverId + "/action")).isEqualTo(2);
    assertThat(cloud.server("coffer-" + id).path("flavor").path("id").asText()).isEqualTo("1");

    driver.delete(id);
    assertThat(cloud.resourcesNamed(id)).isEmpty();
  }

  @Test
  void anAccessUpdateRewritesTheRulesAndAddsOrRemovesTheFloatingIp() {
    String id = UUID.randomUUID().toString();
    driver.create(spec(id, image, null, true));
    assertThat(cloud.resources().get("floatingips")).hasSize(1);

    driver.updateAccess(id, "postgresql", new AccessInfo(false, List.of("172.16.0.0/12")));

    assertThat(ingress(id)).containsExactly("172.16.0.0/12:5432");
    assertThat(cloud.resources().get("floatingips")).isEmpty();
    assertThat(driver.find(id).orElseThrow().addresses())
        .extracting(Server.Address::type)
        .containsExactly("private");

    driver.updateAccess(id, "postgresql", new AccessInfo(true, List.of()));

    assertThat(ingress(id)).containsExactly("0.0.0.0/0:5432");
    assertThat(driver.find(id).orElseThrow().addresses())
        .extracting(Server.Address::type)
        .containsExactly("private", "public");
    driver.delete(id);
    assertThat(cloud.resourcesNamed(id)).isEmpty();
  }

  private List<String> ingress(String id) {
    return cloud.rulesOf("coffer_sg-" + id).stream()
        .filter(r -> "ingress".equals(r.path("direction").asText()))
        .map(r -> r.path("remote_ip_prefix").asText() + ":" + r.path("port_range_min").asText())
        .toList();
  }

  @Test
  void aServerGroupStaysWhileAReplicaUsesItAndGoesWithTheLastOne() {
    String source = UUID.randomUUID().toString();
    String replica = UUID.randomUUID().toString();
    driver.create(spec(source, image, "affinity", false));
    ServerSpec r = spec(replica, image, "affinity", false);
    driver.create(
        new ServerSpec(
            replica,
            r.name(),
            r.flavor(),
            r.volumeSize(),
            null,
            "postgresql",
            "15",
            image,
            null,
            "affinity",
            source,
            r.access(),
            r.guestConfig()));
    assertThat(cloud.resources().get("server_groups")).containsExactly("coffer-" + source);

    driver.delete(source);
    assertThat(cloud.resources().get("server_groups")).containsExactly("coffer-" + source);
    // the orphan sweep sees the group of the deleted source
    assertThat(driver.instances()).contains(source, replica);

    driver.delete(replica);
    driver.delete(source);
    assertThat(cloud.resources().get("server_groups")).isEmpty();
    assertThat(driver.instances()).doesNotContain(source, replica);
  }

  @Test
  void novasQuotaRefusalIsAClearFault() {
    String id = UUID.randomUUID().toString();
    cloud.quotaExceeded(true);

    assertThatThrownBy(() -> driver.create(spec(id, image, null, false)))
        .hasMessageContaining("Nova refused the server")
        .hasMessageContaining("Quota exceeded for instances");

    driver.delete(id);
    assertThat(cloud.resourcesNamed(id)).isEmpty();
  }

  @Test
  void tokensRevokedDuringABootAreRenewedAndTheBootCompletes() throws Exception {
    String id = UUID.randomUUID().toString();
    // Keystone forgets every token while the server boots (the stub boots it on a thread of its
    // own: the revocation may come before Nova reports ACTIVE or just after)
    java.util.concurrent.CountDownLatch revoked = new java.util.concurrent.CountDownLatch(1);
    cloud.onBoot(
        b -> {
          cloud.revokeTokens();
          revoked.countDown();
        });

    Server server = driver.create(spec(id, image, null, false));

    assertThat(server.status()).isEqualTo("ACTIVE");
    assertThat(revoked.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(driver.find(id)).isPresent();
    assertThat(cloud.authentications()).isEqualTo(2);
    assertThat(clients.authentications()).isGreaterThanOrEqualTo(1);
    // later operations use the renewed token
    cloud.clearCalls();
    assertThat(driver.find(id)).isPresent();
    assertThat(cloud.authentications()).isZero();
    driver.delete(id);
    assertThat(cloud.resourcesNamed(id)).isEmpty();
  }

  @Test
  void anImageIsNeededAndTheFlavorsComeFromNova() {
    String id = UUID.randomUUID().toString();
    OpenStackSettings settings = settings(cloud, Optional.empty());
    OpenStackComputeDriver untagged =
        new OpenStackComputeDriver(
            settings, new OpenStackSession(settings.account()), spec -> List.of());

    assertThatThrownBy(() -> untagged.create(spec(id, null, null, false)))
        .hasMessageContaining("has no image id or tags");
    untagged.delete(id);
    assertThat(cloud.resourcesNamed(id)).isEmpty();

    List<FlavorInfo> nova = driver.flavors().orElseThrow();
    assertThat(nova)
        .extracting(FlavorInfo::id, FlavorInfo::ram)
        .contains(
            org.assertj.core.groups.Tuple.tuple("1", 512),
            org.assertj.core.groups.Tuple.tuple("2", 2048));
  }

  @Test
  void novasFlavorsReplaceTheFlavorList() throws Exception {
    cloud.flavor("d6e4f1a2-9b3c-4d5e-8f70-1a2b3c4d5e6f", "db.large", 8192, 4, 80);
    List<FlavorInfo> nova = driver.flavors().orElseThrow();
    // in a transaction rolled back after: the other tests keep the flavor list they know
    try (Connection c = Db.connect()) {
      c.setAutoCommit(false);
      try {
        exec(
            c,
            "INSERT INTO flavors (id, name, ram, vcpus, created, updated)"
                + " VALUES ('gone-flavor', 'm1.gone', 256, 1, now(), now())");

        int removed = CatalogSync.write(c, nova);

        assertThat(removed).isGreaterThanOrEqualTo(1);
        assertThat(strings(c, "SELECT id FROM flavors WHERE NOT deleted ORDER BY id"))
            .containsExactlyInAnyOrder(
                "1", "2", "3", "4", "5", "d6e4f1a2-9b3c-4d5e-8f70-1a2b3c4d5e6f");
        assertThat(
                strings(
                    c,
                    "SELECT name || ':' || ram FROM flavors WHERE id = 'd6e4f1a2-9b3c-4d5e-8f70-1a2b3c4d5e6f'"))
            .containsExactly("db.large:8192");
        assertThat(strings(c, "SELECT name FROM flavors WHERE id = 'gone-flavor' AND deleted"))
            .containsExactly("m1.gone (deleted gone-flavor)");
        // a second run changes nothing more
        assertThat(CatalogSync.write(c, nova)).isZero();
      } finally {
        c.rollback();
      }
    }
  }

  @Test
  void cindersVolumeTypesReplaceTheVolumeTypeList() throws Exception {
    List<VolumeTypeInfo> cinder = driver.volumeTypes();
    assertThat(cinder)
        .extracting(VolumeTypeInfo::name)
        .containsExactlyInAnyOrder("__DEFAULT__", "ssd");
    try (Connection c = Db.connect()) {
      c.setAutoCommit(false);
      try {
        exec(
            c,
            "INSERT INTO volume_types (id, name, created, updated)"
                + " VALUES ('gone-type', 'hdd', now(), now())");

        CatalogSync.writeVolumeTypes(c, cinder);

        assertThat(strings(c, "SELECT name FROM volume_types WHERE NOT deleted"))
            .containsExactlyInAnyOrder("__DEFAULT__", "ssd");
        assertThat(strings(c, "SELECT name FROM volume_types WHERE id = 'gone-type' AND deleted"))
            .containsExactly("hdd");
      } finally {
        c.rollback();
      }
    }
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.executeUpdate(sql);
    }
  }

  private static List<String> strings(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
