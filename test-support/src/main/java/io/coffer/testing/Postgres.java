package io.coffer.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Controls the local PostgreSQL cluster of the infrastructure database, for restart tests. */
public final class Postgres {

  private Postgres() {}

  /**
   * Restarts the cluster listening on the infrastructure database's port (fast mode: sessions are
   * cut, as in a crash-restart), and returns once it accepts connections again.
   */
  public static void restart() {
    String[] cluster = cluster();
    run(
        "pg_ctlcluster",
        "--skip-systemctl-redirect",
        cluster[0],
        cluster[1],
        "restart",
        "--mode=fast");
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < end) {
      try (var c = Db.connect()) {
        return;
      } catch (Exception e) {
        sleep();
      }
    }
    throw new IllegalStateException("PostgreSQL did not come back after a restart");
  }

  /** Version and name of the cluster on port 5432 ({@code pg_lsclusters}). */
  private static String[] cluster() {
    for (String line : run("pg_lsclusters", "--no-header").split("\n")) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length >= 3 && cols[2].equals("5432")) {
        return new String[] {cols[0], cols[1]};
      }
    }
    throw new IllegalStateException("no PostgreSQL cluster on port 5432");
  }

  private static void sleep() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
