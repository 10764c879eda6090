package io.coffer.api.notify;

import jakarta.enterprise.context.RequestScoped;
import java.util.Map;

/** The {@code dbaas.*} notification of the current call, from its start to its end. */
@RequestScoped
public class DbaasCall {

  private String action;
  private Map<String, Object> payload;
  private boolean handedOff;
  private boolean ended;

  void begin(String action, Map<String, Object> payload) {
    this.action = action;
    this.payload = payload;
  }

  boolean started() {
    return action != null;
  }

  String action() {
    return action;
  }

  Map<String, Object> payload() {
    return payload;
  }

  void handOff() {
    handedOff = true;
  }

  boolean handedOff() {
    return handedOff;
  }

  void end() {
    ended = true;
  }

  boolean ended() {
    return ended;
  }
}
