package io.coffer.persistence.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Keys of the control plane, under {@code coffer.security}. */
@ConfigMapping(prefix = "coffer.security")
public interface SecurityConfig {

  /** New instances get a message key and their messages are sealed (off: plaintext, as Trove). */
  @WithDefault("true")
  boolean messageProtection();

  /**
   * The master key (standard base64 of 32 bytes) that encrypts instance keys at rest; the same on
   * every api, taskmanager and conductor. From a secret; when unset, read from the key file.
   */
  Optional<String> masterKey();

  /**
   * Trove's {@code inst_rpc_key_encr_key}, to read the message keys of instances imported from
   * Trove (their {@code encrypted_key} in Trove's format) when {@code coffer.bus.trove-compat} is
   * on. A secret.
   */
  Optional<String> troveKeyEncryptionKey();

  /** File holding the master key when {@code master-key} is unset. */
  @WithDefault("${coffer.home:${user.home}/.coffer}/master.key")
  String masterKeyFile();
}
