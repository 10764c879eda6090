package io.coffer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coffer.storage.openstack.OpenStackAccount;
import io.coffer.storage.openstack.OpenStackSession;
import io.coffer.testing.openstack.RealOpenStack;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Swift storage against the real Keystone and Swift (Debian's, on loopback; see {@link
 * RealOpenStack}), with Coffer's service account in the {@code service} project as in production,
 * and segments small enough that every backup here has several.
 */
class SwiftStorageTest {

  private static final int SEGMENT = 4096;
  private static final String USER = "coffer";
  private static final String[] CONTAINERS = {
    "coffer-backups",
    "coffer-backups_segments",
    "nightly_pg",
    "nightly_pg_segments",
    "wal-archive-test"
  };

  private RealOpenStack cloud;
  private OpenStackSession session;
  private SwiftStorage storage;

  @BeforeEach
  void start() {
    cloud = RealOpenStack.get();
    for (String c : CONTAINERS) {
      cloud.deleteContainer(USER, c);
    }
    session =
        new OpenStackSession(
            new OpenStackAccount(
                cloud.authUrl(),
                USER,
                cloud.password(USER),
                "Default",
                "service",
                "Default",
                Optional.empty(),
                "internal"));
    storage = new SwiftStorage(session, "coffer-backups", SEGMENT);
  }

  @AfterEach
  void stop() {
    for (String c : CONTAINERS) {
      cloud.deleteContainer(USER, c);
    }
  }

  private List<String> objects(String container) {
    return cloud.objects(USER, container);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void aLargeBackupIsStoredInSegmentsAndComesBackVerified() throws Exception {
    String id = UUID.randomUUID().toString();
    byte[] data = random(3 * SEGMENT + 1234);

    BackupStorage.Stored stored =
        storage.store(id, new ByteArrayInputStream(data), Map.of("type", "full", "parent", ""));

    assertThat(stored.location()).isEqualTo("swift://coffer-backups/" + id);
    assertThat(stored.bytes()).isEqualTo(data.length);
    assertThat(stored.checksum()).isEqualTo(sha256(data));
    assertThat(objects("coffer-backups_segments"))
        .containsExactly(id + "/00000001", id + "/00000002", id + "/00000003", id + "/00000004");
    assertThat(objects("coffer-backups")).containsExactly(id);
    assertThat(storage.exists(stored.location())).isTrue();
    assertThat(storage.metadata(stored.location()))
        .containsEntry("type", "full")
        .containsEntry("checksum", stored.checksum())
        .containsEntry("bytes", Long.toString(data.length));
    try (InputStream in = storage.open(stored.location(), stored.checksum())) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    // without a checksum the stored one is verified
    try (InputStream in = storage.open(stored.location(), null)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }

    assertThat(storage.delete(id)).isTrue();
    assertThat(objects("coffer-backups")).isEmpty();
    assertThat(objects("coffer-backups_segments")).isEmpty();
    assertThat(storage.exists(stored.location())).isFalse();
    assertThat(storage.delete(id)).isFalse();
    // one token for all of it
    assertThat(session.authentications()).isEqualTo(1);
  }

  @Test
  void aBackupNamingAContainerGoesThereAndIsFoundAndDeletedThere() throws Exception {
    String id = UUID.randomUUID().toString();
    byte[] data = random(SEGMENT + 10);

    BackupStorage.Stored stored =
        storage.store(
            "nightly_pg", id, new ByteArrayInputStream(data), () -> Map.of("type", "full"));

    assertThat(stored.location()).isEqualTo("swift://nightly_pg/" + id);
    assertThat(objects("nightly_pg")).containsExactly(id);
    assertThat(objects("nightly_pg_segments")).hasSize(2);
    assertThat(objects("coffer-backups")).doesNotContain(id);
    try (InputStream in = storage.open(stored.location(), null)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    // the default container has nothing of it
    assertThat(storage.delete(id)).isFalse();
    assertThat(storage.delete("nightly_pg", id)).isTrue();
    assertThat(objects("nightly_pg")).isEmpty();
    assertThat(objects("nightly_pg_segments")).isEmpty();
    assertThatThrownBy(() -> storage.store("../x", id, InputStream.nullInputStream(), Map::of))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void metadataLongerThanOneSwiftHeaderComesBackWhole() throws Exception {
    // Swift refuses a metadata value over 256 bytes: a guest's metadata is longer than that
    Map<String, String> meta = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 12; i++) {
      meta.put("key-" + i, "value with spaces, = signs and ünicode " + "x".repeat(40) + i);
    }
    String id = UUID.randomUUID().toString();
    BackupStorage.Stored stored =
        storage.store(id, new ByteArrayInputStream(random(SEGMENT + 1)), Map.copyOf(meta));

    assertThat(storage.metadata(stored.location())).containsAllEntriesOf(meta);

    // more than Swift keeps for one object: refused with the reason, nothing left behind
    Map<String, String> huge = new java.util.HashMap<>();
    for (int i = 0; i < 60; i++) {
      huge.put("key-" + i, "y".repeat(60));
    }
    String tooBig = UUID.randomUUID().toString();
    assertThatThrownBy(
            () -> storage.store(tooBig, new ByteArrayInputStream(random(10)), Map.copyOf(huge)))
        .hasMessageContaining("metadata is too large");
    assertThat(objects("coffer-backups")).doesNotContain(tooBig);
    assertThat(objects("coffer-backups_segments")).noneMatch(o -> o.startsWith(tooBig));
  }

  @Test
  void aBackupOfManySegmentsIsReadSegmentBySegmentAndAMissingOneFailsTheRead() throws Exception {
    // more segments than Swift serves through a manifest before it slows to one per second
    String id = UUID.randomUUID().toString();
    byte[] data = random(25 * SEGMENT + 7);
    BackupStorage.Stored stored = storage.store(id, new ByteArrayInputStream(data), Map.of());
    assertThat(objects("coffer-backups_segments")).hasSize(26);

    long t0 = System.nanoTime();
    try (InputStream in = storage.open(stored.location(), stored.checksum())) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    System.out.printf(
        "swift: %d segments read in %d ms%n", 26, (System.nanoTime() - t0) / 1_000_000);

    cloud.deleteObject(USER, "coffer-backups_segments", id + "/00000013");
    try (InputStream in = storage.open(stored.location(), stored.checksum())) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining(id + "/00000013");
    }
  }

  @Test
  void aCorruptedSegmentFailsTheRestoreAtItsEnd() throws Exception {
    String id = UUID.randomUUID().toString();
    byte[] data = random(2 * SEGMENT + 10);
    BackupStorage.Stored stored = storage.store(id, new ByteArrayInputStream(data), Map.of());

    cloud.corrupt(USER, "coffer-backups_segments", id + "/00000002");

    try (InputStream in = storage.open(stored.location(), stored.checksum())) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(ChecksumMismatchException.class);
    }
  }

  @Test
  void aBackupRefusedAfterItsBytesLeavesNothingStored() throws Exception {
    String id = UUID.randomUUID().toString();

    assertThatThrownBy(
            () ->
                storage.store(
                    id,
                    new ByteArrayInputStream(random(SEGMENT * 2)),
                    () -> {
                      throw new IOException("pg_basebackup exited with 1");
                    }))
        .hasMessageContaining("exited with 1");

    assertThat(objects("coffer-backups")).isEmpty();
    assertThat(objects("coffer-backups_segments")).isEmpty();
    assertThat(storage.exists(storage.locationOf(id))).isFalse();
  }

  @Test
  void anEmptyBackupAndForeignLocationsAreHandled() throws Exception {
    String id = UUID.randomUUID().toString();
    BackupStorage.Stored stored = storage.store(id, InputStream.nullInputStream(), Map.of());
    assertThat(stored.bytes()).isZero();
    try (InputStream in = storage.open(stored.location(), null)) {
      assertThat(in.readAllBytes()).isEmpty();
    }
    // another container of the account: a valid place where nothing is stored
    assertThatThrownBy(() -> storage.open("swift://other-container/" + id, null))
        .isInstanceOf(IOException.class);
    for (String bad :
        new String[] {"swift://.hidden/" + id, "swift://a/b/" + id, "swift:///" + id}) {
      assertThatThrownBy(() -> storage.open(bad, null))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> storage.open("file:///etc/passwd", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.metadata(storage.locationOf(UUID.randomUUID().toString())))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aTokenRevokedInTheMiddleOfAnUploadIsRenewed() throws Exception {
    String id = UUID.randomUUID().toString();
    byte[] data = random(3 * SEGMENT);
    String first = session.client().getToken().getId();
    InputStream revokingMidway =
        new ByteArrayInputStream(data) {
          private boolean revoked;

          @Override
          public synchronized int read(byte[] b, int off, int len) {
            if (!revoked && pos >= SEGMENT) {
              revoked = true;
              // Swift answers the next segment 401, as it does when a token expires, once
              // its token cache (1 s in the test set) has let the revoked token go
              cloud.revoke(first);
              try {
                Thread.sleep(2000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            return super.read(b, off, len);
          }
        };

    BackupStorage.Stored stored = storage.store(id, revokingMidway, Map.of());

    // Swift really refuses the old token, and the session went on with a new one
    assertThat(
            cloud
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(cloud.swiftAccount(USER)))
                        .header("X-Auth-Token", first)
                        .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()))
                .statusCode())
        .isEqualTo(401);
    assertThat(session.client().getToken().getId()).isNotEqualTo(first);
    assertThat(objects("coffer-backups_segments")).hasSize(3);
    try (InputStream in = storage.open(stored.location(), stored.checksum())) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void archiveObjectsAreStoredListedPageByPageReadAndDeleted() throws Exception {
    String c = "wal-archive-test";
    assertThat(storage.listObjects(c)).isEmpty();
    assertThatThrownBy(() -> storage.getObject(c, "000000010000000000000001.gz"))
        .isInstanceOf(java.io.FileNotFoundException.class);
    List<String> names = new java.util.ArrayList<>();
    for (int i = 7; i >= 1; i--) {
      String name = String.format("0000000100000000000000%02X.gz", i);
      storage.putObject(c, name, random(100 + i));
      names.add(0, name);
    }
    storage.putObject(c, "00000002.history.gz", random(10));
    // three names a request: the listing pages on past the first answers
    storage.listPage(3);
    List<String> listed = storage.listObjects(c);
    assertThat(listed).hasSize(8).isSorted().containsAll(names).contains("00000002.history.gz");
    assertThat(storage.getObject(c, names.get(2))).isEqualTo(random(103));
    // an object of the same name is replaced
    storage.putObject(c, names.get(2), random(5));
    assertThat(storage.getObject(c, names.get(2))).isEqualTo(random(5));
    assertThat(storage.deleteObject(c, names.get(0))).isTrue();
    assertThat(storage.deleteObject(c, names.get(0))).isFalse();
    assertThat(storage.listObjects(c)).hasSize(7).doesNotContain(names.get(0));
    assertThatThrownBy(() -> storage.putObject(c, "../escape", random(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> storage.putObject(null, "x", random(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
