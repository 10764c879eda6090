package io.coffer.guest.training;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.coffer.guest.config.GuestConfig;
import io.coffer.model.common.FlavorInfo;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.jboss.logging.Logger;

/**
 * The guest's part in the host's shared class archive: in a training run ({@code
 * coffer.guest.class-data-training=true}) the guest starts as usual (no broker reachable), then
 * loads what a running guest loads when it works (the PostgreSQL driver's connection path, the
 * message codec, MariaDB's driver), lets its schedules run once, and exits. The JVM writes the
 * classes it loaded to the archive every guest of the host then maps, read-only and shared, instead
 * of each loading its own copy.
 */
@ApplicationScoped
class ClassDataTraining {

  private static final Logger LOG = Logger.getLogger(ClassDataTraining.class);

  void onStart(@Observes @Priority(1000) StartupEvent event, GuestConfig config) {
    if (!config.classDataTraining()) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              exercise();
              pause(3000);
              LOG.info("class data training run done");
              Quarkus.asyncExit(0);
            },
            "coffer-class-data-training");
    t.setDaemon(true);
    t.start();
  }

  private static void exercise() {
    Properties p = new Properties();
    p.setProperty("user", "training");
    p.setProperty("password", "training");
    p.setProperty("connectTimeout", "1");
    try {
      // nothing listens there: the driver's connection path runs up to the refusal
      DriverManager.getConnection("jdbc:postgresql://127.0.0.1:1/postgres", p).close();
    } catch (SQLException expected) {
      LOG.debugf("training connection: %s", expected.getMessage());
    }
    try {
      // and MariaDB's, for the guests of MySQL and MariaDB instances
      p.setProperty("connectTimeout", "1000");
      DriverManager.getConnection("jdbc:mariadb://127.0.0.1:1/", p).close();
    } catch (SQLException expected) {
      LOG.debugf("training connection: %s", expected.getMessage());
    }
    try {
      ObjectMapper mapper = new ObjectMapper();
      String json = mapper.writeValueAsString(new FlavorInfo("1", "m1.tiny", 512, 1, 1, 0, 0));
      mapper.readValue(json, FlavorInfo.class);
    } catch (java.io.IOException e) {
      LOG.debugf("training codec: %s", e.getMessage());
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
