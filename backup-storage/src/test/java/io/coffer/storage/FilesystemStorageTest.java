package io.coffer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesystemStorageTest {

  @TempDir Path dir;

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    new Random(42).nextBytes(b);
    return b;
  }

  @Test
  void storedBytesComeBackIdenticalWithTheirChecksumAndMetadata() throws Exception {
    FilesystemStorage s = new FilesystemStorage(dir);
    String id = UUID.randomUUID().toString();
    byte[] data = bytes(3 * 1024 * 1024 + 17);

    BackupStorage.Stored stored =
        s.store(id, new ByteArrayInputStream(data), Map.of("type", "full", "wal_to", "0000000A"));

    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    assertThat(stored.checksum()).isEqualTo(sha);
    assertThat(stored.bytes()).isEqualTo(data.length);
    assertThat(stored.location()).isEqualTo(s.locationOf(id)).startsWith("file:/");
    assertThat(s.exists(stored.location())).isTrue();
    try (InputStream in = s.open(stored.location(), sha)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(s.metadata(stored.location()))
        .containsEntry("type", "full")
        .containsEntry("wal_to", "0000000A")
        .containsEntry(FilesystemStorage.CHECKSUM, sha)
        .containsEntry(FilesystemStorage.BYTES, Integer.toString(data.length));
    // its owner writes it, its directory's group (the project's) reads it, nobody else
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(id + ".tar"))))
        .isEqualTo("rw-r-----");
  }

  @Test
  void aCorruptedObjectFailsAtTheEndOfReading() throws Exception {
    FilesystemStorage s = new FilesystemStorage(dir);
    String id = UUID.randomUUID().toString();
    BackupStorage.Stored stored = s.store(id, new ByteArrayInputStream(bytes(4096)), Map.of());
    byte[] onDisk = Files.readAllBytes(dir.resolve(id + ".tar"));
    onDisk[100] ^= 1;
    Files.write(dir.resolve(id + ".tar"), onDisk);

    try (InputStream in = s.open(stored.location(), null)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(ChecksumMismatchException.class)
          .hasMessageContaining(stored.checksum());
    }
  }

  @Test
  void anInterruptedStoreLeavesNothingThatCountsAsStored() throws Exception {
    FilesystemStorage s = new FilesystemStorage(dir);
    String id = UUID.randomUUID().toString();
    InputStream failing =
        new InputStream() {
          int n;

          @Override
          public int read() throws IOException {
            if (++n > 100_000) {
              throw new IOException("the backup tool died");
            }
            return n & 0xff;
          }
        };

    assertThatThrownBy(() -> s.store(id, failing, Map.of())).hasMessageContaining("died");
    assertThat(s.exists(s.locationOf(id))).isFalse();
    assertThatThrownBy(() -> s.metadata(s.locationOf(id))).isInstanceOf(IOException.class);
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aStoreRefusedAfterTheDataIsWrittenLeavesNothing() throws Exception {
    FilesystemStorage s = new FilesystemStorage(dir);
    String id = UUID.randomUUID().toString();

    assertThatThrownBy(
            () ->
                s.store(
                    id,
                    new ByteArrayInputStream(bytes(1000)),
                    () -> {
                      throw new IOException("pg_basebackup exited 1");
                    }))
        .hasMessageContaining("exited 1");
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void deleteRemovesCompleteAndPartialObjects() throws Exception {
    FilesystemStorage s = new FilesystemStorage(dir);
    String id = UUID.randomUUID().toString();
    s.store(id, new ByteArrayInputStream(bytes(10)), Map.of());
    Files.writeString(dir.resolve(id + ".tar.part"), "half");

    assertThat(s.delete(id)).isTrue();
    assertThat(s.delete(id)).isFalse();
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aBackupNamingAContainerGoesToItsSubdirectory() throws Exception {
    FilesystemStorage s = new FilesystemStorage(dir);
    String id = UUID.randomUUID().toString();
    byte[] data = bytes(1000);

    BackupStorage.Stored stored =
        s.store("nightly_pg", id, new ByteArrayInputStream(data), () -> Map.of("type", "full"));

    assertThat(Path.of(java.net.URI.create(stored.location())))
        .isEqualTo(dir.toRealPath().resolve("nightly_pg").resolve(id + ".tar"));
    // the project's group may use it, nobody else
    assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve("nightly_pg")))
        .contains(
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
            java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE)
        .doesNotContain(
            java.nio.file.attribute.PosixFilePermission.OTHERS_READ,
            java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
    assertThat(
            java.nio.file.Files.getPosixFilePermissions(
                Path.of(java.net.URI.create(stored.location()))))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE,
            java.nio.file.attribute.PosixFilePermission.GROUP_READ);
    assertThat(s.metadata(stored.location())).containsEntry("type", "full");
    try (var in = s.open(stored.location(), null)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(s.delete(id)).isFalse();
    assertThat(s.delete("nightly_pg", id)).isTrue();
    assertThat(s.exists(stored.location())).isFalse();
    for (String bad : new String[] {"..", ".", "a/b", "", "-x"}) {
      assertThatThrownBy(() -> s.store(bad, id, new ByteArrayInputStream(data), Map::of))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void onlyBackupObjectsOfItsOwnDirectoryCanBeOpened() throws Exception {
    FilesystemStorage s = new FilesystemStorage(dir.resolve("backups"));
    Files.writeString(dir.resolve("secret.tar"), "not a backup");
    String id = UUID.randomUUID().toString();

    for (String location :
        new String[] {
          "file:///etc/shadow",
          dir.resolve("secret.tar").toUri().toString(),
          dir.resolve("backups/../" + id + ".tar").toUri().toString(),
          dir.resolve("backups/a/b/" + id + ".tar").toUri().toString(),
          dir.resolve("backups/.hidden/" + id + ".tar").toUri().toString(),
          "https://swift.example.com/v1/AUTH_x/database_backups/" + id + ".tar",
          "not a url at all",
        }) {
      assertThatThrownBy(() -> s.open(location, null))
          .as(location)
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(s.exists(location)).isFalse();
    }
    assertThatThrownBy(() -> s.delete("../../etc")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void archiveObjectsAreStoredListedReadAndDeletedInTheirContainer() throws Exception {
    FilesystemStorage s = new FilesystemStorage(dir);
    String c = "wal-" + UUID.randomUUID();
    assertThat(s.listObjects(c)).isEmpty();
    s.putObject(c, "000000010000000000000002.gz", bytes(20));
    s.putObject(c, "000000010000000000000001.gz", bytes(10));
    s.putObject(c, "00000002.history.gz", bytes(5));
    // a write cut short leaves a hidden part file, never listed
    Files.write(dir.resolve(c).resolve(".000000010000000000000003.gz.part"), bytes(3));
    assertThat(s.listObjects(c))
        .containsExactly(
            "000000010000000000000001.gz", "000000010000000000000002.gz", "00000002.history.gz");
    assertThat(s.getObject(c, "000000010000000000000002.gz")).isEqualTo(bytes(20));
    s.putObject(c, "000000010000000000000002.gz", bytes(7));
    assertThat(s.getObject(c, "000000010000000000000002.gz")).isEqualTo(bytes(7));
    assertThat(s.deleteObject(c, "000000010000000000000001.gz")).isTrue();
    assertThat(s.deleteObject(c, "000000010000000000000001.gz")).isFalse();
    assertThatThrownBy(() -> s.getObject(c, "000000010000000000000001.gz"))
        .isInstanceOf(java.io.FileNotFoundException.class);
    assertThatThrownBy(() -> s.putObject(c, "../x", bytes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.putObject("../up", "x", bytes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.listObjects(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
