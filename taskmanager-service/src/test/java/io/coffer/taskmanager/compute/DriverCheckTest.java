package io.coffer.taskmanager.compute;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DriverCheckTest {

  @Test
  void anUnknownDriverStopsTheStartWithTheNameAndTheChoices() {
    assertThatThrownBy(() -> DriverCheck.check("openstack"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'openstack'")
        .hasMessageContaining("available: local");
    assertThatCode(() -> DriverCheck.check("local")).doesNotThrowAnyException();
  }
}
