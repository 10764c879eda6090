package io.coffer.taskmanager;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.coffer.model.secure.Aead;
import io.coffer.taskmanager.broker.BrokerUsers;
import io.coffer.testing.TestEnv;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

/** Guest broker users against the real broker's management API. */
@QuarkusTest
class BrokerUsersTest {

  @Inject BrokerUsers brokerUsers;

  @Test
  void aRepeatedCreateKeepsThePasswordTheRunningGuestHolds() throws Exception {
    String id = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();
    SecretKey key = Aead.newKey();
    try {
      BrokerUsers.Credentials first = brokerUsers.create(id, Optional.of(key));
      BrokerUsers.Credentials again = brokerUsers.create(id, Optional.of(key));
      BrokerUsers.Credentials elsewhere = brokerUsers.create(other, Optional.of(key));

      assertThat(again.password()).isEqualTo(first.password()).hasSize(48);
      assertThat(elsewhere.password()).isNotEqualTo(first.password());
      // the broker accepts the password the first create gave out
      ConnectionFactory f = new ConnectionFactory();
      f.setHost(TestEnv.rabbitHost());
      f.setPort(TestEnv.rabbitPort());
      f.setVirtualHost(TestEnv.rabbitVhost());
      f.setUsername(first.username());
      f.setPassword(first.password());
      try (Connection c = f.newConnection()) {
        assertThat(c.isOpen()).isTrue();
      }
      // without a key every create gives a new random password
      assertThat(brokerUsers.create(id).password()).isNotEqualTo(first.password());
    } finally {
      brokerUsers.delete(id);
      brokerUsers.delete(other);
    }
  }
}
