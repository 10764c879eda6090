package io.coffer.api.manage;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.PrintStream;
import java.util.List;

/** Runs admin commands with their output going to the given streams (the CLI and its tests). */
@ApplicationScoped
public class ManageAccess {

  private final ManageCommands commands;

  ManageAccess(ManageCommands commands) {
    this.commands = commands;
  }

  /** Runs one command; returns its exit code. */
  public int run(List<String> args, PrintStream out, PrintStream err) {
    return commands.run(args, out, err);
  }
}
