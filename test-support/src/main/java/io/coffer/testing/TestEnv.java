package io.coffer.testing;

/**
 * Where the tests' RabbitMQ and PostgreSQL are. Tests use their own virtual host and database, so
 * they never mix with a Coffer suite running on the same machine. Override with system properties
 * {@code coffer.test.*}.
 */
public final class TestEnv {

  private TestEnv() {}

  private static String prop(String name, String fallback) {
    return System.getProperty("coffer.test." + name, fallback);
  }

  /** RabbitMQ host. */
  public static String rabbitHost() {
    return prop("rabbit-host", "127.0.0.1");
  }

  /** RabbitMQ port. */
  public static int rabbitPort() {
    return Integer.parseInt(prop("rabbit-port", "5672"));
  }

  /** RabbitMQ user. */
  public static String rabbitUser() {
    return prop("rabbit-user", "guest");
  }

  /** RabbitMQ password. */
  public static String rabbitPassword() {
    return prop("rabbit-password", "guest");
  }

  /** RabbitMQ virtual host of the tests. */
  public static String rabbitVhost() {
    return prop("rabbit-vhost", "coffer-test");
  }

  /**
   * The broker as oslo.messaging's transport URL ({@code rabbit://user:password@host:port/vhost}).
   */
  public static String osloTransportUrl() {
    return "rabbit://"
        + rabbitUser()
        + ":"
        + rabbitPassword()
        + "@"
        + rabbitHost()
        + ":"
        + rabbitPort()
        + "/"
        + rabbitVhost();
  }

  /** The topic exchange. */
  public static String exchange() {
    return prop("exchange", "coffer");
  }

  /** JDBC URL of the tests' infrastructure database. */
  public static String jdbcUrl() {
    return prop("jdbc-url", "jdbc:postgresql://127.0.0.1:5432/coffer_test");
  }

  /** Database user. */
  public static String dbUser() {
    return prop("db-user", "coffer");
  }

  /** Database password. */
  public static String dbPassword() {
    return prop("db-password", "coffer");
  }
}
