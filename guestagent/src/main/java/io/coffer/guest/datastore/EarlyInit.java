package io.coffer.guest.datastore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Work a new instance's guest starts as soon as it runs (creating the data directory with initdb or
 * mariadb-install-db), while the control plane is still sending the prepare that needs it.
 */
public final class EarlyInit {

  /** The work. */
  public interface Action {
    /** Runs it. */
    void run() throws IOException;
  }

  private static final Logger LOG = Logger.getLogger(EarlyInit.class);

  private volatile CompletableFuture<Void> done = CompletableFuture.completedFuture(null);

  /** Starts {@code action} on a thread of its own. */
  public void begin(String name, Action action) {
    done =
        CompletableFuture.runAsync(
            () -> {
              try {
                action.run();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            r -> {
              Thread t = new Thread(r, "coffer-" + name);
              t.setDaemon(true);
              t.start();
            });
  }

  /** Waits for the work; false (logged) when it failed and its result must not be used. */
  public boolean await() {
    try {
      done.join();
      return true;
    } catch (RuntimeException e) {
      LOG.warnf("the work started early failed: %s", e.getMessage());
      return false;
    }
  }
}
