package io.coffer.guest.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coffer.guest.datastore.EngineLogs;
import io.coffer.guest.datastore.GuestError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The guest's logs on real files and the filesystem store. */
class GuestLogsTest {

  private static final String ID = "2c1a7e9e-0000-4000-8000-000000000001";

  @TempDir Path dir;
  private Path general;
  private Path guestLog;
  private FilesystemLogStore store;
  private boolean on;

  private final EngineLogs engine =
      new EngineLogs() {
        @Override
        public List<Log> logs() {
          return List.of(new Log("general", general));
        }

        @Override
        public boolean enabled(String name) {
          return on;
        }

        @Override
        public boolean enable(String name, boolean enable) {
          on = enable;
          return false;
        }
      };

  @BeforeEach
  void files() throws IOException {
    general = Files.createDirectories(dir.resolve("logs")).resolve("general.log");
    guestLog = dir.resolve("logs").resolve("guest.log");
    store = new FilesystemLogStore(dir.resolve("store").resolve("database_logs"));
  }

  private GuestLogs logs(int chunk, long max) {
    return new GuestLogs(ID, "mysql", guestLog, () -> engine, () -> store, chunk, max);
  }

  private static void append(Path file, String... lines) throws IOException {
    Files.writeString(
        file,
        String.join("\n", lines) + "\n",
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  /** Everything published of a log, object after object. */
  private String published(String log) throws IOException {
    StringBuilder all = new StringBuilder();
    for (String name : store.list(ID + "/mysql-" + log + "/")) {
      all.append(new String(store.get(name).orElseThrow(), StandardCharsets.UTF_8));
    }
    return all.toString();
  }

  @Test
  void aUserLogIsEnabledPublishedAndThenOnlyItsNewLinesArePublished() throws IOException {
    GuestLogs logs = logs(1_000_000, 50_000_000);
    List<Map<String, Object>> list = logs.list();
    assertThat(list).extracting(v -> v.get("name")).containsExactly("guest", "general");
    assertThat(list.get(0)).containsEntry("type", "SYS").containsEntry("status", "Enabled");
    assertThat(list.get(1)).containsEntry("type", "USER").containsEntry("status", "Disabled");

    assertThat(logs.action("general", true, false, false, false))
        .containsEntry("status", "Enabled");
    append(general, "select 1;", "select 2;");
    Map<String, Object> ready = logs.action("general", false, false, false, false);
    assertThat(ready).containsEntry("status", "Ready").containsEntry("pending", 20L);
    assertThat(ready).containsEntry("container", "None");

    Map<String, Object> done = logs.action("general", false, false, true, false);
    assertThat(done)
        .containsEntry("status", "Published")
        .containsEntry("published", 20L)
        .containsEntry("pending", 0L)
        .containsEntry("container", "database_logs")
        .containsEntry("prefix", ID + "/mysql-general/")
        .containsEntry("metafile", ID + "/mysql-general_metafile");
    assertThat(published("general")).isEqualTo("select 1;\nselect 2;\n");

    append(general, "select 3;");
    assertThat(logs.action("general", false, false, false, false))
        .containsEntry("status", "Partial");
    logs.action("general", false, false, true, false);
    assertThat(published("general")).isEqualTo("select 1;\nselect 2;\nselect 3;\n");
    assertThat(store.list(ID + "/mysql-general/")).hasSize(2);
    assertThat(store.metadata(store.list(ID + "/mysql-general/").get(1)))
        .containsEntry("lines", "1");

    // a line still being written waits for the next publish
    Files.writeString(general, "select 4", StandardOpenOption.APPEND);
    logs.action("general", false, false, true, false);
    assertThat(published("general")).endsWith("select 3;\n");

    logs.action("general", false, false, false, true);
    assertThat(store.list(ID + "/mysql-general/")).isEmpty();
    assertThat(logs.action("general", false, true, false, false))
        .containsEntry("status", "Disabled");
  }

  @Test
  void secretsAreMaskedInWhatIsPublished() throws IOException {
    GuestLogs logs = logs(1_000_000, 50_000_000);
    append(
        general,
        "CREATE USER 'app'@'%' IDENTIFIED BY 's3cret-1'",
        "ALTER USER app WITH ENCRYPTED PASSWORD 's3cret-2' VALID UNTIL 'infinity'",
        "SET PASSWORD FOR 'app'@'%' = PASSWORD('s3cret-3')",
        "CHANGE MASTER TO MASTER_HOST='10.0.0.1', MASTER_PASSWORD='s3cret-4'",
        "connection: host=10.0.0.1 user=app password=s3cret-5 dbname=shop",
        "url postgresql://app:s3cret-6@10.0.0.1/shop",
        "select 'nothing secret here'");
    logs.action("general", false, false, true, false);
    String out = published("general");
    for (int n = 1; n <= 6; n++) {
      assertThat(out).doesNotContain("s3cret-" + n);
    }
    assertThat(out).contains("IDENTIFIED BY '******'", "select 'nothing secret here'");
  }

  @Test
  void aRotatedLogIsPublishedFromWhereItLeftOffWithoutDuplicates() throws IOException {
    GuestLogs logs = logs(1_000_000, 50_000_000);
    on = true;
    append(general, "one", "two");
    logs.action("general", false, false, true, false);
    append(general, "three");
    // rotated (as logrotate does): the file moves to .1, the server starts a new one
    Files.move(general, general.resolveSibling("general.log.1"));
    append(general, "four", "five", "six");
    assertThat(logs.action("general", false, false, false, false))
        .containsEntry("status", "Rotated");
    logs.action("general", false, false, true, false);
    assertThat(published("general")).isEqualTo("one\ntwo\nthree\nfour\nfive\nsix\n");
    append(general, "seven");
    logs.action("general", false, false, true, false);
    assertThat(published("general")).isEqualTo("one\ntwo\nthree\nfour\nfive\nsix\nseven\n");
  }

  @Test
  void objectsAndPublishesAreLimitedInSize() throws IOException {
    GuestLogs logs = logs(64, 200);
    on = true;
    List<String> lines = new ArrayList<>();
    for (int n = 0; n < 20; n++) {
      lines.add(String.format("line %02d of the log", n));
    }
    append(general, lines.toArray(String[]::new));
    Map<String, Object> first = logs.action("general", false, false, true, false);
    assertThat(first).containsEntry("status", "Partial");
    assertThat((Long) first.get("published")).isLessThanOrEqualTo(200L);
    for (String name : store.list(ID + "/mysql-general/")) {
      assertThat(store.get(name).orElseThrow().length).isLessThanOrEqualTo(64);
    }
    while ("Partial".equals(logs.action("general", false, false, false, false).get("status"))) {
      logs.action("general", false, false, true, false);
    }
    assertThat(published("general")).isEqualTo(String.join("\n", lines) + "\n");
  }

  @Test
  void theGuestLogIsOnlyPublishedAndUnknownLogsOrConflictingFlagsAreRefused() throws IOException {
    GuestLogs logs = logs(1_000_000, 50_000_000);
    assertThatThrownBy(() -> logs.action("guest", true, false, false, false))
        .isInstanceOf(GuestError.class)
        .hasMessageContaining("system log");
    assertThatThrownBy(() -> logs.action("guest", false, true, false, false))
        .isInstanceOf(GuestError.class);
    assertThatThrownBy(() -> logs.action("general", true, true, false, false))
        .isInstanceOf(GuestError.class)
        .hasMessageContaining("Cannot enable and disable");
    assertThatThrownBy(() -> logs.action("audit", false, false, false, false))
        .isInstanceOf(GuestError.class)
        .hasMessageContaining("guest, general");
    append(guestLog, "guest started");
    assertThat(logs.action("guest", false, false, true, false))
        .containsEntry("status", "Published");
    assertThat(published("guest")).isEqualTo("guest started\n");
  }

  @Test
  void aRequestWithATokenAndAnObjectStorePublishesIntoTheTenantsSwiftAccount() {
    io.coffer.model.rpc.RequestContext plain =
        io.coffer.model.rpc.RequestContext.forUser("u", "p", List.of(), false, null);
    assertThat(LogStores.of(plain)).isEmpty();
    assertThat(LogStores.of(plain.with("auth_token", "t"))).isEmpty();
    io.coffer.model.rpc.RequestContext keystone =
        plain
            .with("auth_token", "t")
            .with(
                "service_catalog",
                List.of(
                    Map.of(
                        "type",
                        "object-store",
                        "endpoints",
                        List.of(
                            Map.of("interface", "internal", "url", "http://inside/v1/AUTH_p"),
                            Map.of("interface", "public", "url", "http://swift/v1/AUTH_p")))));
    assertThat(LogStores.of(keystone)).get().isInstanceOf(SwiftLogStore.class);
    assertThat(LogStores.of(keystone).get().container()).isEqualTo("database_logs");
  }
}
