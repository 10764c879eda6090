package io.coffer.model.secure;

import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * Where the bus finds instances' message keys. The control plane reads them from the infrastructure
 * database; a guest agent knows only its own.
 */
public interface MessageKeys {

  /**
   * The message key of an instance; empty when the instance has none (it talks plaintext) or is
   * unknown here.
   *
   * @throws KeyUnavailableException when it cannot be known now
   * @throws Aead.AuthenticationException when the stored key does not open with the master key
   */
  Optional<SecretKey> keyOf(String instanceId);

  /**
   * The Trove secure-RPC key string of an instance whose stored key is in Trove's format (an
   * instance imported from Trove); empty otherwise or when Trove compatibility is off.
   */
  default Optional<String> troveKeyOf(String instanceId) {
    return Optional.empty();
  }

  /** The instance whose guest agent this process is; empty in the control plane. */
  default Optional<String> ownInstance() {
    return Optional.empty();
  }
}
