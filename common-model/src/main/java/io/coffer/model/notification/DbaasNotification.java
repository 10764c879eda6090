package io.coffer.model.notification;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code dbaas.<action>} notification as Trove serializes it into a request context ({@code
 * trove_notification}) for the daemon that ends it: its payload plus {@code notification_classname}
 * ({@code trove.common.notification.DBaaSDatabaseCreate} for {@code database_create}).
 */
public final class DbaasNotification {

  /** The context key that carries a serialized notification. */
  public static final String CONTEXT_KEY = "trove_notification";

  private static final String CLASSNAME = "notification_classname";
  private static final String PREFIX = "trove.common.notification.DBaaS";

  private DbaasNotification() {}

  /** Serializes a notification of {@code action} with its payload. */
  public static Map<String, Object> serialize(String action, Map<String, Object> payload) {
    Map<String, Object> s = new LinkedHashMap<>(payload);
    s.put(CLASSNAME, className(action));
    return s;
  }

  /** The action of a serialized notification ({@code database_create}), or null if it has none. */
  public static String action(Map<String, Object> serialized) {
    Object c = serialized == null ? null : serialized.get(CLASSNAME);
    if (!(c instanceof String name)
        || !name.startsWith(PREFIX)
        || name.length() == PREFIX.length()) {
      return null;
    }
    String camel = name.substring(PREFIX.length());
    StringBuilder out = new StringBuilder();
    for (char ch : camel.toCharArray()) {
      if (Character.isUpperCase(ch) && out.length() > 0) {
        out.append('_');
      }
      out.append(Character.toLowerCase(ch));
    }
    return out.toString();
  }

  /** The payload of a serialized notification (without its class name). */
  public static Map<String, Object> payload(Map<String, Object> serialized) {
    Map<String, Object> p = new LinkedHashMap<>(serialized);
    p.remove(CLASSNAME);
    return p;
  }

  /**
   * Trove's class name of an action: {@code user_change_password} → {@code
   * …DBaaSUserChangePassword}.
   */
  static String className(String action) {
    StringBuilder out = new StringBuilder(PREFIX);
    for (String part : action.split("_")) {
      if (!part.isEmpty()) {
        out.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
      }
    }
    return out.toString();
  }
}
