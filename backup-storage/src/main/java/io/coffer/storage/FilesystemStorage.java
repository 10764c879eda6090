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
 * Backups as files in one directory, or in a subdirectory of it named by a container: {@code
 * <id>.tar} holds the bytes, {@code <id>.meta} the metadata with the checksum. Both are written
 * under a {@code .part} name, flushed to disk and renamed; the metadata is renamed last, so an
 * object counts as stored only once both are complete. Locations are {@code file://} URLs of the
 * data file; only files of this directory or of its container subdirectories named by a backup id
 * are ever opened.
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

  /**
   * Stored files are readable by the group of their directory: with one directory per project,
   * owned by the project's group, the instances of that project read each other's backups (a
   * restore, a replica) and no other instance can. A container's subdirectory is the group's too.
   */
  private static final String FILE_MODE = "rw-r-----";

  private static final String DIR_MODE = "rwxrwx---";

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

  /** The directory of a container (null: the storage's own directory). */
  private Path dir(String container) {
    return container == null ? root : root.resolve(BackupStorage.checkContainer(container));
  }

  @Override
  public Stored store(String container, String backupId, InputStream data, MetadataSource metadata)
      throws IOException {
    checkId(backupId);
    Path dir = dir(container);
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(DIR_MODE)));
    }
    Path part = dir.resolve(backupId + DATA + PART);
    Files.deleteIfExists(part);
    MessageDigest digest = Checksums.sha256();
    long bytes = 0;
    try (FileChannel out =
        FileChannel.open(
            part,
            java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(FILE_MODE)))) {
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
    Path file = dir.resolve(backupId + DATA);
    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Properties meta = new Properties();
    meta.putAll(extra);
    meta.setProperty(CHECKSUM, checksum);
    meta.setProperty(BYTES, Long.toString(bytes));
    Path metaPart = dir.resolve(backupId + META + PART);
    Files.deleteIfExists(metaPart);
    try (FileChannel ch =
            FileChannel.open(
                metaPart,
                java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(FILE_MODE)));
        Writer w =
            new java.io.OutputStreamWriter(
                java.nio.channels.Channels.newOutputStream(ch), StandardCharsets.UTF_8)) {
      meta.store(w, "Coffer backup " + backupId);
      w.flush();
      ch.force(true);
    }
    Files.move(
        metaPart,
        dir.resolve(backupId + META),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(dir);
    return new Stored(file.toUri().toString(), bytes, checksum);
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // not every filesystem lets a directory be synced; the files themselves are
    }
  }

  /** Where an object is: its directory (the storage's or a container's) and its backup id. */
  private record Place(Path dir, String id) {
    Path data() {
      return dir.resolve(id + DATA);
    }

    Path meta() {
      return dir.resolve(id + META);
    }
  }

  /** The place of a location of this storage, or an exception. */
  private Place placeOf(String location) {
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
    Path dir = p.getParent();
    boolean inContainer =
        dir != null
            && root.equals(dir.getParent())
            && BackupStorage.CONTAINER.matcher(dir.getFileName().toString()).matches();
    if (!(root.equals(dir) || inContainer) || !name.endsWith(DATA)) {
      throw new IllegalArgumentException("not a backup location of this storage: " + location);
    }
    return new Place(dir, checkId(name.substring(0, name.length() - DATA.length())));
  }

  @Override
  public InputStream open(String location, String checksum) throws IOException {
    Place place = placeOf(location);
    Map<String, String> meta = metadata(location);
    String expected = checksum == null ? meta.get(CHECKSUM) : checksum;
    InputStream in = new java.io.BufferedInputStream(Files.newInputStream(place.data()), BUFFER);
    return new VerifyingInputStream(in, expected, location);
  }

  @Override
  public Map<String, String> metadata(String location) throws IOException {
    Place place = placeOf(location);
    Path meta = place.meta();
    if (!Files.exists(meta) || !Files.exists(place.data())) {
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
      Place place = placeOf(location);
      return Files.exists(place.meta()) && Files.exists(place.data());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public boolean delete(String container, String backupId) throws IOException {
    checkId(backupId);
    Path dir = dir(container);
    boolean any = false;
    // the metadata first: from then on the object no longer counts as stored
    for (String suffix : new String[] {META, META + PART, DATA, DATA + PART}) {
      any |= Files.deleteIfExists(dir.resolve(backupId + suffix));
    }
    if (any) {
      syncDirectory(dir);
    }
    return any;
  }

  @Override
  public void putObject(String container, String name, byte[] data) throws IOException {
    BackupStorage.checkObjectName(name);
    Path dir = dir(requireContainer(container));
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(DIR_MODE)));
    }
    // written aside under a name no object can have, then moved in whole
    Path part = dir.resolve("." + name + PART);
    Files.deleteIfExists(part);
    try (FileChannel out =
        FileChannel.open(
            part,
            java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(FILE_MODE)))) {
      ByteBuffer b = ByteBuffer.wrap(data);
      while (b.hasRemaining()) {
        out.write(b);
      }
      out.force(true);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(part);
      throw e;
    }
    Files.move(
        part,
        dir.resolve(name),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(dir);
  }

  @Override
  public byte[] getObject(String container, String name) throws IOException {
    Path file = dir(requireContainer(container)).resolve(BackupStorage.checkObjectName(name));
    if (!Files.isRegularFile(file)) {
      throw new java.io.FileNotFoundException("no object " + name + " in " + container);
    }
    return Files.readAllBytes(file);
  }

  @Override
  public java.util.List<String> listObjects(String container) throws IOException {
    Path dir = dir(requireContainer(container));
    if (!Files.isDirectory(dir)) {
      return java.util.List.of();
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(f -> f.getFileName().toString())
          .filter(n -> BackupStorage.OBJECT_NAME.matcher(n).matches())
          .sorted()
          .toList();
    }
  }

  @Override
  public boolean deleteObject(String container, String name) throws IOException {
    Path dir = dir(requireContainer(container));
    boolean had = Files.deleteIfExists(dir.resolve(BackupStorage.checkObjectName(name)));
    if (had) {
      syncDirectory(dir);
    }
    return had;
  }

  private static String requireContainer(String container) {
    if (container == null) {
      throw new IllegalArgumentException("archive objects live in a named container");
    }
    return container;
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
