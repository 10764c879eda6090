package io.coffer.api.manage;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import jakarta.inject.Inject;

/**
 * The api-service's entry point: without arguments it serves the API; {@code manage <command>} runs
 * an admin command against the infrastructure database and exits (Trove's trove-manage).
 */
@QuarkusMain
public class ManageMain implements QuarkusApplication {

  @Inject ManageCommands commands;

  @Override
  public int run(String... args) {
    if (args.length > 0 && args[0].equals("manage")) {
      String[] rest = new String[args.length - 1];
      System.arraycopy(args, 1, rest, 0, rest.length);
      return commands.run(rest);
    }
    Quarkus.waitForExit();
    return 0;
  }
}
