package io.coffer.guest.datastore.mysql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coffer.guest.datastore.GuestError;
import io.coffer.model.secret.Secret;
import org.junit.jupiter.api.Test;

class MySqlIdentifiersTest {

  @Test
  void databaseNamesAreBackquotedAndHostileOnesRefused() {
    assertThat(MySqlIdentifiers.database("shop")).isEqualTo("`shop`");
    assertThat(MySqlIdentifiers.database("my shop#1")).isEqualTo("`my shop#1`");
    for (String bad :
        new String[] {"a`b", "a'b", "a/b", "a.b", "a\\b", "", "x".repeat(65), "a\nb"}) {
      assertThatThrownBy(() -> MySqlIdentifiers.database(bad))
          .isInstanceOf(GuestError.class)
          .hasMessageContaining("not a valid database name");
    }
  }

  @Test
  void grantTargetsEscapeTheWildcardsOfDatabaseGrants() {
    assertThat(MySqlIdentifiers.grantTarget("my_db%x")).isEqualTo("`my\\_db\\%x`");
    assertThat(MySqlIdentifiers.fromGrantTarget("my\\_db\\%x")).isEqualTo("my_db%x");
  }

  @Test
  void accountsAreQuotedLiteralsAndBadHostsRefused() {
    assertThat(MySqlIdentifiers.account("alice", null)).isEqualTo("'alice'@'%'");
    assertThat(MySqlIdentifiers.account("bob", "10.0.%")).isEqualTo("'bob'@'10.0.%'");
    assertThat(MySqlIdentifiers.account("b@x", "::1")).isEqualTo("'b@x'@'::1'");
    assertThatThrownBy(() -> MySqlIdentifiers.account("eve", "%' OR '1"))
        .hasMessageContaining("not a valid host");
    assertThatThrownBy(() -> MySqlIdentifiers.account("e've", "%"))
        .hasMessageContaining("not a valid user name");
  }

  @Test
  void passwordsAreEscapedForBothQuotesAndBackslashes() {
    assertThat(MySqlIdentifiers.literal(new Secret("it's\\"))).isEqualTo("'it''s\\\\'");
    assertThatThrownBy(() -> MySqlIdentifiers.literal(new Secret("")))
        .hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> MySqlIdentifiers.literal(new Secret("a\0b")))
        .hasMessageContaining("NUL");
  }

  @Test
  void characterSetsAreBareIdentifiers() {
    assertThat(MySqlIdentifiers.charset("utf8mb4_unicode_ci")).isEqualTo("utf8mb4_unicode_ci");
    assertThatThrownBy(() -> MySqlIdentifiers.charset("utf8; DROP"))
        .hasMessageContaining("not a valid character set");
  }
}
