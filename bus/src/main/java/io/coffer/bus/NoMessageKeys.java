package io.coffer.bus;

import io.coffer.model.secure.MessageKeys;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import javax.crypto.SecretKey;

/** Without a key source every message travels plaintext (tests of the bus alone). */
@DefaultBean
@ApplicationScoped
class NoMessageKeys implements MessageKeys {

  @Override
  public Optional<SecretKey> keyOf(String instanceId) {
    return Optional.empty();
  }
}
