package io.coffer.taskmanager.compute;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DriverCheckTest {

  @Test
  void anUnknownDriverStopsTheStartWithTheNameAndTheChoices() {
    assertThatThrownBy(() -> DriverCheck.check("kubernetes"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'kubernetes'")
        .hasMessageContaining("local")
        .hasMessageContaining("openstack");
    assertThatCode(() -> DriverCheck.check("local")).doesNotThrowAnyException();
    assertThatCode(() -> DriverCheck.check("openstack")).doesNotThrowAnyException();
  }
}
