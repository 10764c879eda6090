package io.coffer.guest.logs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Published logs on the filesystem backup storage: the container is a directory in the project's
 * own directory (where only the project's instances can read), an object a file, its metadata a
 * {@code .meta} JSON file beside it (as Swift keeps {@code X-Object-Meta-*} with an object).
 */
final class FilesystemLogStore implements LogStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String META = ".meta";

  private final Path root;

  FilesystemLogStore(Path root) {
    this.root = root;
  }

  @Override
  public String container() {
    return root.toString();
  }

  private Path file(String name) {
    Path p = root.resolve(name).normalize();
    if (!p.startsWith(root) || name.endsWith(META)) {
      throw new IllegalArgumentException("not an object name: " + name);
    }
    return p;
  }

  @Override
  public void put(String name, byte[] data, Map<String, String> metadata) throws IOException {
    Path f = file(name);
    Files.createDirectories(f.getParent());
    Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
    Files.write(tmp, data);
    Files.writeString(f.resolveSibling(f.getFileName() + META), JSON.writeValueAsString(metadata));
    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public Optional<byte[]> get(String name) throws IOException {
    Path f = file(name);
    return Files.isRegularFile(f) ? Optional.of(Files.readAllBytes(f)) : Optional.empty();
  }

  /** The metadata stored with an object. */
  Map<String, String> metadata(String name) throws IOException {
    Path m = file(name).resolveSibling(file(name).getFileName() + META);
    return Files.exists(m)
        ? JSON.readValue(Files.readString(m), new TypeReference<Map<String, String>>() {})
        : Map.of();
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return names;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        String name = root.relativize(p).toString();
        if (name.startsWith(prefix) && !name.endsWith(META) && !name.endsWith(".tmp")) {
          names.add(name);
        }
      }
    }
    names.sort(null);
    return names;
  }

  @Override
  public void delete(String name) throws IOException {
    Path f = file(name);
    Files.deleteIfExists(f);
    Files.deleteIfExists(f.resolveSibling(f.getFileName() + META));
  }
}
