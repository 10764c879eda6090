package io.coffer.guest.security;

import io.coffer.guest.config.GuestConfig;
import io.coffer.model.secure.Aead;
import io.coffer.model.secure.MessageKeys;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import javax.crypto.SecretKey;

/** A guest agent knows one key: its own instance's. */
@ApplicationScoped
public class GuestKey implements MessageKeys {

  private final String instanceId;
  private final Optional<SecretKey> key;

  GuestKey(GuestConfig config) {
    this.instanceId = config.instanceId();
    try {
      this.key = config.messageKey().filter(k -> !k.isBlank()).map(Aead::key);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("coffer.guest.message-key: " + e.getMessage());
    }
  }

  @Override
  public Optional<SecretKey> keyOf(String instance) {
    return instanceId.equals(instance) ? key : Optional.empty();
  }

  @Override
  public Optional<String> ownInstance() {
    return Optional.of(instanceId);
  }
}
