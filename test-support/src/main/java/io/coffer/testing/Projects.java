package io.coffer.testing;

import java.util.UUID;

/** Fresh project ids: each test works in its own project and looks only at its own rows. */
public final class Projects {

  private Projects() {}

  /** A project id nobody has used. */
  public static String fresh() {
    return UUID.randomUUID().toString().replace("-", "");
  }
}
