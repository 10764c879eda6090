package io.coffer.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Backups as files in one directory: {@code <id>.tar} holds the bytes, {@code <id>.meta} the
 * metadata with the checksum. Both are written under a {@code .part} name, flushed to disk and
 * renamed; the metadata is renamed last, so an object counts as stored only once both are complete.
 * Locations are {@code file://} URLs of the data file; only files of this directory named by a
 * backup id are ever opened.
 */
public final class FilesystemStorage implements BackupStorage {

  /** Checksum of the object, in its metadata. */
  public static final String CHECKSUM = "checksum";

  /** Size in bytes of the object, in its metadata. */
  public static final String BYTES = "bytes";

  private static final Pattern ID = Pattern.compile("[0-9a-fA-F-]{36}");
  private static final String DATA = ".tar";
  private static final String META = ".meta";
  private static final String PART = ".part";
  private static final int BUFFER = 1 << 20;

  private final Path root;

  /** Storage in {@code root}, created if missing. */
  public FilesystemStorage(Path root) throws IOException {
    Files.createDirectories(root);
    this.root = root.toRealPath();
  }

  /** The directory. */
  public Path root() {
    return root;
  }

  @Override
  public String kind() {
    return "filesystem";
  }

  private static String checkId(String backupId) {
    if (backupId == null || !ID.matcher(backupId).matches()) {
      throw new IllegalArgumentException("not a backup id: " + backupId);
    }
    return backupId;
  }

  /** The location an object of this backup has once stored. */
  public String locationOf(String backupId) {
    return root.resolve(checkId(backupId) + DATA).toUri().toString();
  }

  @Override
  public Stored store(String backupId, InputStream data, MetadataSource metadata)
      throws IOException {
    checkId(backupId);
    Path part = root.resolve(backupId + DATA + PART);
    Files.deleteIfExists(part);
    MessageDigest digest = Checksums.sha256();
    long bytes = 0;
    try (FileChannel out =
        FileChannel.open(
            part,
            java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      byte[] buf = new byte[BUFFER];
      ByteBuffer wrap = ByteBuffer.wrap(buf);
      int n;
      while ((n = data.read(buf)) >= 0) {
        if (n == 0) {
          continue;
        }
        digest.update(buf, 0, n);
        wrap.clear().limit(n);
        while (wrap.hasRemaining()) {
          out.write(wrap);
        }
        bytes += n;
      }
      out.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(part);
      throw e;
    }
    Map<String, String> extra;
    try {
      extra = metadata.get();
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(part);
      throw e;
    }
    String checksum = HexFormat.of().formatHex(digest.digest());
    Path file = root.resolve(backupId + DATA);
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Properties meta = new Properties();
    meta.putAll(extra);
    meta.setProperty(CHECKSUM, checksum);
    meta.setProperty(BYTES, Long.toString(bytes));
    Path metaPart = root.resolve(backupId + META + PART);
    Files.deleteIfExists(metaPart);
    try (FileChannel ch =
            FileChannel.open(
                metaPart,
                java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        Writer w =
            new java.io.OutputStreamWriter(
                java.nio.channels.Channels.newOutputStream(ch), StandardCharsets.UTF_8)) {
      meta.store(w, "Coffer backup " + backupId);
      w.flush();
      ch.force(true);
    }
    Files.move(
        metaPart,
        root.resolve(backupId + META),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    syncDirectory();
    return new Stored(file.toUri().toString(), bytes, checksum);
  }

  private void syncDirectory() {
    try (FileChannel dir = FileChannel.open(root, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // not every filesystem lets a directory be synced; the files themselves are
    }
  }

  /** The backup id of a location of this storage, or an exception. */
  private String idOf(String location) {
    Path p;
    try {
      URI uri = URI.create(location);
      if (!"file".equals(uri.getScheme())) {
        throw new IllegalArgumentException("not a filesystem location: " + location);
      }
      p = Path.of(uri).normalize();
    } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new IllegalArgumentException("not a backup location of this storage: " + location, e);
    }
    String name = p.getFileName() == null ? "" : p.getFileName().toString();
    if (!root.equals(p.getParent()) || !name.endsWith(DATA)) {
      throw new IllegalArgumentException("not a backup location of this storage: " + location);
    }
    return checkId(name.substring(0, name.length() - DATA.length()));
  }

  @Override
  public InputStream open(String location, String checksum) throws IOException {
    String id = idOf(location);
    Map<String, String> meta = metadata(location);
    String expected = checksum == null ? meta.get(CHECKSUM) : checksum;
    InputStream in =
        new java.io.BufferedInputStream(Files.newInputStream(root.resolve(id + DATA)), BUFFER);
    return new VerifyingInputStream(in, expected, location);
  }

  @Override
  public Map<String, String> metadata(String location) throws IOException {
    String id = idOf(location);
    Path meta = root.resolve(id + META);
    if (!Files.exists(meta) || !Files.exists(root.resolve(id + DATA))) {
      throw new java.io.FileNotFoundException("no complete backup at " + location);
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
      p.load(r);
    }
    Map<String, String> out = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
    return out;
  }

  @Override
  public boolean exists(String location) {
    try {
      String id = idOf(location);
      return Files.exists(root.resolve(id + META)) && Files.exists(root.resolve(id + DATA));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public boolean delete(String backupId) throws IOException {
    checkId(backupId);
    boolean any = false;
    // the metadata first: from then on the object no longer counts as stored
    for (String suffix : new String[] {META, META + PART, DATA, DATA + PART}) {
      any |= Files.deleteIfExists(root.resolve(backupId + suffix));
    }
    if (any) {
      syncDirectory();
    }
    return any;
  }

  /** Copies a stream to an output stream with a large buffer; returns the bytes copied. */
  public static long copy(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[BUFFER];
    long total = 0;
    int n;
    while ((n = in.read(buf)) >= 0) {
      out.write(buf, 0, n);
      total += n;
    }
    return total;
  }
}
