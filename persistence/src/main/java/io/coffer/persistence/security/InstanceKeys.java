package io.coffer.persistence.security;

import io.coffer.model.secure.Aead;
import io.coffer.model.secure.KeyUnavailableException;
import io.coffer.model.secure.KeyWrap;
import io.coffer.model.secure.MessageKeys;
import io.coffer.model.secure.TroveCipher;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.sql.DataSource;

/**
 * The control plane's view of instance message keys: generated when an instance row is made, stored
 * wrapped by the master key ({@code instances.encrypted_key}), read back (and cached) to seal
 * messages to guests and open messages from them. A key never changes, so a read key is kept; an
 * instance without a row is asked again next time.
 */
@Startup
@ApplicationScoped
public class InstanceKeys implements MessageKeys {

  private static final int CACHE_LIMIT = 100_000;

  private final DataSource db;
  private final SecurityConfig config;
  private final KeyWrap wrap;
  private final Map<String, Optional<SecretKey>> cache = new ConcurrentHashMap<>();

  InstanceKeys(DataSource db, SecurityConfig config) {
    this.db = db;
    this.config = config;
    this.wrap = new KeyWrap(master(config));
  }

  private static SecretKey master(SecurityConfig config) {
    String value;
    if (config.masterKey().isPresent() && !config.masterKey().get().isBlank()) {
      value = config.masterKey().get();
    } else {
      Path file = Path.of(config.masterKeyFile());
      try {
        value = Files.readString(file, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new IllegalStateException(
            "no master key: set coffer.security.master-key (base64 of 32 random bytes, from a"
                + " secret) or create "
                + file
                + " (e.g. head -c 32 /dev/urandom | base64 > "
                + file
                + ")");
      }
    }
    try {
      return Aead.key(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("coffer.security.master-key: " + e.getMessage());
    }
  }

  /**
   * A new message key for a new instance, in its stored form; null when message protection is off
   * (the instance talks plaintext).
   */
  public String newStoredKey(String instanceId) {
    if (!config.messageProtection()) {
      return null;
    }
    SecretKey key = Aead.newKey();
    cache.put(instanceId, Optional.of(key));
    return wrap.wrap(instanceId, key);
  }

  /** The key of an instance from its stored form (null: none). */
  public Optional<SecretKey> fromStored(String instanceId, String stored) {
    return stored == null ? Optional.empty() : Optional.of(wrap.unwrap(instanceId, stored));
  }

  @Override
  public Optional<String> troveKeyOf(String instanceId) {
    if (config.troveKeyEncryptionKey().isEmpty()) {
      return Optional.empty();
    }
    String stored = stored(instanceId).map(Stored::value).orElse(null);
    if (stored == null || stored.startsWith("gcm1:")) {
      return Optional.empty();
    }
    return Optional.of(
        new String(
            TroveCipher.decrypt(config.troveKeyEncryptionKey().get(), stored),
            StandardCharsets.UTF_8));
  }

  /**
   * An instance row's stored key: empty without a row, {@code value} null for a row without key.
   */
  private record Stored(String value) {}

  private Optional<Stored> stored(String instanceId) {
    try (Connection c = db.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT encrypted_key FROM instances WHERE id = ?")) {
      ps.setString(1, instanceId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new Stored(rs.getString(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new KeyUnavailableException(
          "cannot read the key of instance " + instanceId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<SecretKey> keyOf(String instanceId) {
    Optional<SecretKey> known = cache.get(instanceId);
    if (known != null) {
      return known;
    }
    Optional<Stored> row = stored(instanceId);
    if (row.isEmpty()) {
      return Optional.empty();
    }
    Optional<SecretKey> key = fromStored(instanceId, row.get().value());
    if (cache.size() > CACHE_LIMIT) {
      cache.clear();
    }
    cache.put(instanceId, key);
    return key;
  }
}
