package io.coffer.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.coffer.bus.Topology;
import io.coffer.model.routing.Topics;
import io.coffer.persistence.security.InstanceKeys;
import io.coffer.taskmanager.broker.BrokerUsers;
import io.coffer.taskmanager.compute.local.LocalComputeDriver;
import io.coffer.taskmanager.lifecycle.OrphanSweeper;
import io.coffer.testing.Db;
import io.coffer.testing.Fixtures;
import io.coffer.testing.Projects;
import io.coffer.testing.TestEnv;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The orphan sweep against the real broker (management API) and the local driver's directory. */
@QuarkusTest
class OrphanSweeperTest {

  @Inject OrphanSweeper sweeper;
  @Inject BrokerUsers brokerUsers;
  @Inject Topology topology;
  @Inject LocalComputeDriver compute;
  @Inject InstanceKeys keys;

  /** Runs a command as the test (root on the CI machines); returns its exit code. */
  private static int run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  @Test
  void anotherDeploymentsInstanceUsersOnTheHostAreNotOrphansHere() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "instance users need root");
    // an instance of a deployment with another base directory, stopped (its user idle)
    String theirs = UUID.randomUUID().toString();
    String user = "coffer-" + theirs.replace("-", "").substring(0, 12);
    assertThat(
            run(
                "useradd",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                "--comment",
                "coffer instance " + theirs + " in /srv/another-deployment/instances",
                user))
        .isZero();
    try {
      assertThat(compute.instances()).doesNotContain(theirs);
      sweeper.sweep();
      assertThat(run("id", user)).as("their user after our sweep").isZero();
    } finally {
      run("userdel", user);
    }
  }

  @Test
  void resourcesOfNoLiveInstanceAreRemovedAndThoseOfLiveOnesKept() throws Exception {
    String project = Projects.fresh();
    String live = Fixtures.instance(project).insert();
    String deleted = Fixtures.instance(project).insert();
    Db.update("UPDATE instances SET deleted = true, deleted_at = now() WHERE id = ?", deleted);
    String never = UUID.randomUUID().toString();
    for (String id : List.of(live, deleted, never)) {
      brokerUsers.create(id);
      topology.declareGuestQueue(id);
    }
    // a server directory left by a create that died before it recorded anything
    Files.createDirectories(compute.baseDir().resolve(never).resolve("config"));
    try {
      Map<String, Integer> removed = sweeper.sweep();

      assertThat(removed.get("broker-user")).isGreaterThanOrEqualTo(2);
      assertThat(removed.get("queue")).isGreaterThanOrEqualTo(2);
      assertThat(removed.get("server")).isGreaterThanOrEqualTo(1);
      assertThat(brokerUsers.instancesWithUsers()).contains(live).doesNotContain(deleted, never);
      assertThat(brokerUsers.instancesWithQueues()).contains(live).doesNotContain(deleted, never);
      assertThat(topology.depth(Topics.guest(live))).isZero();
      assertThat(topology.depth(Topics.guest(never))).isEqualTo(-1);
      assertThat(compute.baseDir().resolve(never)).doesNotExist();
      // a second sweep finds nothing more of these
      Map<String, Integer> again = sweeper.sweep();
      assertThat(brokerUsers.instancesWithUsers()).contains(live);
      assertThat(again.getOrDefault("server", 0)).isZero();
    } finally {
      brokerUsers.delete(live);
      topology.deleteGuestQueue(live);
    }
  }

  @Test
  void anotherDeploymentsGuestsOnTheSameBrokerAreLeftAlone() throws Exception {
    // a guest user of a deployment on the default virtual host, whose instance this one never knew
    String theirs = UUID.randomUUID().toString();
    String user = BrokerUsers.userOf(theirs);
    management("PUT", "/api/users/" + user, "{\"password\": \"theirs\", \"tags\": \"\"}");
    management(
        "PUT",
        "/api/permissions/%2F/" + user,
        "{\"configure\": \"^$\", \"write\": \"^$\", \"read\": \"^$\"}");
    try {
      assertThat(brokerUsers.instancesWithUsers()).doesNotContain(theirs);
      sweeper.sweep();
      assertThat(management("GET", "/api/users/" + user, null)).isEqualTo(200);
    } finally {
      management("DELETE", "/api/users/" + user, null);
    }
  }

  @Test
  void aLiveInstanceWhoseQueueAndBrokerUserWentMissingGetsThemBack() throws Exception {
    String id = Fixtures.instance(Projects.fresh()).insert();
    Db.update("UPDATE instances SET encrypted_key = ? WHERE id = ?", keys.newStoredKey(id), id);
    Files.createDirectories(compute.baseDir().resolve(id).resolve("config"));
    // what its guest was given at create
    BrokerUsers.Credentials held = brokerUsers.create(id, keys.keyOf(id));
    topology.declareGuestQueue(id);
    brokerUsers.delete(id);
    topology.deleteGuestQueue(id);
    try {
      Map<String, Integer> outcome = sweeper.sweep();

      assertThat(outcome.get("broker-user-restored")).isGreaterThanOrEqualTo(1);
      assertThat(outcome.get("queue-restored")).isGreaterThanOrEqualTo(1);
      assertThat(topology.depth(Topics.guest(id))).isZero();
      // the guest reconnects with the password it holds and reads its own queue
      ConnectionFactory f = new ConnectionFactory();
      f.setHost(TestEnv.rabbitHost());
      f.setPort(TestEnv.rabbitPort());
      f.setVirtualHost(TestEnv.rabbitVhost());
      f.setUsername(held.username());
      f.setPassword(held.password());
      try (Connection c = f.newConnection();
          Channel ch = c.createChannel()) {
        assertThat(ch.basicGet(Topics.guest(id), true)).isNull();
      }
    } finally {
      compute.delete(id);
      brokerUsers.delete(id);
      topology.deleteGuestQueue(id);
    }
  }

  /** Calls the broker's management API as the tests' administrator; returns the status. */
  private static int management(String method, String path, String body) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://" + TestEnv.rabbitHost() + ":15672" + path))
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder()
                        .encodeToString(
                            (TestEnv.rabbitUser() + ":" + TestEnv.rabbitPassword()).getBytes()))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(r.build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** A stand-in guest agent: a process group of its own whose command line names the guest jar. */
  private static Process fakeGuest(Path dir) throws Exception {
    Process p =
        new ProcessBuilder("setsid", "sh", "-c", "sleep 600; true", "quarkus-run.jar")
            .directory(dir.toFile())
            .start();
    // as a real guest, it is looked at once it runs in its own session
    Path stat = Path.of("/proc", Long.toString(p.pid()), "stat");
    await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(
            () -> {
              String[] f = Files.readString(stat).replaceFirst("^.*\\) ", "").split(" ");
              return f[2].equals(Long.toString(p.pid()));
            });
    return p;
  }

  @Test
  void processesLeftInARemovedInstanceDirectoryAreStopped() throws Exception {
    String gone = UUID.randomUUID().toString();
    Path dir = Files.createDirectories(compute.baseDir().resolve(gone).resolve("data"));
    Process guest = fakeGuest(dir.getParent());
    Process database = new ProcessBuilder("sleep", "600").directory(dir.toFile()).start();
    try {
      // the directory goes, its processes stay (a delete interrupted between the two)
      Files.delete(dir);
      Files.delete(dir.getParent());
      assertThat(compute.instances()).contains(gone);

      Map<String, Integer> removed = sweeper.sweep();

      assertThat(removed.get("server")).isGreaterThanOrEqualTo(1);
      assertThat(guest.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(database.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(compute.instances()).doesNotContain(gone);
    } finally {
      guest.destroyForcibly();
      database.destroyForcibly();
    }
  }

  @Test
  void aGuestRunningUnrecordedIsKeptRatherThanStartedTwice() throws Exception {
    String id = Fixtures.instance(Projects.fresh()).insert();
    Path dir = Files.createDirectories(compute.baseDir().resolve(id).resolve("config"));
    Files.writeString(dir.resolve("application.properties"), "coffer.guest.instance-id=" + id);
    // started, but the taskmanager died before writing guest.pid
    Process guest = fakeGuest(dir.getParent());
    try {
      assertThat(compute.revive(id)).isFalse();

      long recorded = Long.parseLong(Files.readString(dir.getParent().resolve("guest.pid")).trim());
      assertThat(recorded).isEqualTo(guest.pid());
      assertThat(compute.find(id)).map(s -> s.status()).contains("ACTIVE");
      // a second look keeps the same one
      assertThat(compute.revive(id)).isFalse();
      assertThat(guest.isAlive()).isTrue();
    } finally {
      compute.delete(id);
    }
    assertThat(guest.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(compute.baseDir().resolve(id)).doesNotExist();
  }
}
