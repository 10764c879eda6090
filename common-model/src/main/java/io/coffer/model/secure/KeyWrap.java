package io.coffer.model.secure;

import java.util.Base64;
import javax.crypto.SecretKey;

/**
 * Instance message keys at rest: encrypted with the control plane's master key and bound to their
 * instance id ({@code instances.encrypted_key} = {@code gcm1:<base64>}), so a key copied to another
 * row does not open.
 */
public final class KeyWrap {

  private static final String PREFIX = "gcm1:";

  private final SecretKey master;

  public KeyWrap(SecretKey master) {
    this.master = master;
  }

  private static String aad(String instanceId) {
    return "coffer.instance-key.v1|" + instanceId;
  }

  /** The stored form of {@code key}, the message key of {@code instanceId}. */
  public String wrap(String instanceId, SecretKey key) {
    return PREFIX
        + Base64.getEncoder().encodeToString(Aead.seal(master, key.getEncoded(), aad(instanceId)));
  }

  /**
   * The message key of {@code instanceId} from its stored form.
   *
   * @throws Aead.AuthenticationException when it was not wrapped by this master key for this
   *     instance
   */
  public SecretKey unwrap(String instanceId, String stored) {
    if (stored == null || !stored.startsWith(PREFIX)) {
      throw new Aead.AuthenticationException("not a Coffer instance key");
    }
    byte[] sealed;
    try {
      sealed = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new Aead.AuthenticationException("instance key is not base64");
    }
    return Aead.key(Aead.open(master, sealed, aad(instanceId)));
  }
}
