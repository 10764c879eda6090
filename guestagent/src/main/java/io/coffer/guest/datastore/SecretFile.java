package io.coffer.guest.datastore;

import io.coffer.model.secret.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/** A password the guest keeps in a file of its own: mode 0600, replaced atomically. */
public final class SecretFile {

  private SecretFile() {}

  /** Writes {@code secret} to {@code file} (never readable by others, even for a moment). */
  public static void write(Path file, Secret secret) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, secret.value(), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The secret in {@code file}, if there is one. */
  public static Optional<Secret> read(Path file) throws IOException {
    return Files.exists(file)
        ? Optional.of(new Secret(Files.readString(file, StandardCharsets.UTF_8).strip()))
        : Optional.empty();
  }
}
