package io.coffer.taskmanager.compute;

import io.coffer.model.config.DatastoreDefaults;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Whether a database server answers on its address, in its own protocol: a PostgreSQL server
 * answers an {@code SSLRequest} with one byte, a MySQL/MariaDB server greets a new connection with
 * its handshake. A port that accepts connections for a stopped (SIGSTOP) or hung server answers
 * nothing, so it does not count as serving.
 */
public final class ServerProbe {

  /** PostgreSQL's SSLRequest: length 8, request code 80877103. */
  private static final byte[] SSL_REQUEST = {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f};

  private ServerProbe() {}

  /**
   * Whether the server of datastore {@code manager} at {@code host} answers within {@code timeout}.
   */
  public static boolean answers(String host, String manager, Duration timeout) {
    int ms = (int) Math.max(1, timeout.toMillis());
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, DatastoreDefaults.port(manager)), ms);
      s.setSoTimeout(ms);
      InputStream in = s.getInputStream();
      if ("postgresql".equals(manager)) {
        s.getOutputStream().write(SSL_REQUEST);
        s.getOutputStream().flush();
        int b = in.read();
        return b == 'S' || b == 'N';
      }
      return in.read() >= 0;
    } catch (IOException e) {
      return false;
    }
  }
}
