package io.coffer.api.v1.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.coffer.api.fault.CofferException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A JSON request body read with Trove's schema errors: every wrong or missing field answers 400
 * {@code "Validation error: <path> <reason>"}, e.g. {@code instance 'name' is a required property}
 * or {@code instance['volume']['size'] -1 is less than the minimum of 1}.
 */
public final class Body {

  /**
   * Trove's {@code non_empty_string}: at least one ASCII letter or digit, searched as Python's
   * {@code re.search} does (only {@code \n} ends a line).
   */
  private static final Pattern NON_EMPTY =
      Pattern.compile("^.*[0-9a-zA-Z]+.*$", Pattern.UNIX_LINES);

  private final JsonNode node;
  private final String path;

  private Body(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** The object under {@code key} of a request body, which must be an object. */
  public static Body root(JsonNode body, String key) {
    if (body == null || body.isNull() || body.isMissingNode()) {
      throw CofferException.badRequest(
          "The request body is empty; expected {\"" + key + "\": {…}}.");
    }
    if (!body.isObject()) {
      throw CofferException.validation(describe(body) + " is not of type 'object'");
    }
    JsonNode inner = body.get(key);
    if (inner == null) {
      throw CofferException.validation("'" + key + "' is a required property");
    }
    if (!inner.isObject()) {
      throw CofferException.validation(key + " " + describe(inner) + " is not of type 'object'");
    }
    return new Body(inner, key);
  }

  /** Wraps an object node at a path. */
  public static Body of(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw CofferException.validation(path + " " + describe(node) + " is not of type 'object'");
    }
    return new Body(node, path);
  }

  /** The underlying JSON. */
  public JsonNode json() {
    return node;
  }

  /** Whether the key is present (even as null). */
  public boolean has(String key) {
    return node.has(key);
  }

  /** True when the key is present and not null. */
  public boolean hasValue(String key) {
    return node.hasNonNull(key);
  }

  /** Names of the present keys. */
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  private String at(String key) {
    return path + "['" + key + "']";
  }

  private CofferException missing(String key) {
    return CofferException.validation(path + " '" + key + "' is a required property");
  }

  /** A required string of 1..max characters that is not only blanks. */
  public String requiredString(String key, int max) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      throw missing(key);
    }
    return checkString(key, v, max);
  }

  /** An optional string (null when absent or null). */
  public String optionalString(String key, int max) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : checkString(key, v, max);
  }

  private String checkString(String key, JsonNode v, int max) {
    if (!v.isTextual()) {
      throw CofferException.validation(at(key) + " " + describe(v) + " is not of type 'string'");
    }
    String s = v.asText();
    // a secret is never echoed back, not even to its sender
    String shown = key.contains("password") ? "******" : abbreviate(s);
    if (!NON_EMPTY.matcher(s).find()) {
      throw CofferException.validation(
          at(key) + " '" + shown + "' does not match '" + NON_EMPTY.pattern() + "'");
    }
    if (s.length() > max) {
      throw CofferException.validation(at(key) + " '" + shown + "' is too long");
    }
    if (s.indexOf('\0') >= 0) {
      throw CofferException.validation(at(key) + " contains a NUL character");
    }
    return s;
  }

  /** A string or integer id (e.g. {@code flavorRef}); hrefs are reduced to their last segment. */
  public String requiredRef(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      throw missing(key);
    }
    return ref(key, v);
  }

  /** An optional string or integer id. */
  public String optionalRef(String key) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : ref(key, v);
  }

  private String ref(String key, JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.asText();
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw CofferException.validation(
          at(key) + " " + describe(v) + " is not of type 'string', 'integer'");
    }
    String s = v.asText().trim();
    if (s.length() > 255) {
      throw CofferException.validation(at(key) + " '" + abbreviate(s) + "' is too long");
    }
    int slash = s.lastIndexOf('/');
    return slash >= 0 && slash < s.length() - 1 ? s.substring(slash + 1) : s;
  }

  /** A required integer in [min, max]; numeric strings are accepted, as Trove does for sizes. */
  public int requiredInt(String key, int min, int max) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      throw missing(key);
    }
    return checkInt(key, v, min, max);
  }

  /** An optional integer in [min, max]. */
  public Integer optionalInt(String key, int min, int max) {
    JsonNode v = node.get(key);
    return v == null || v.isNull() ? null : checkInt(key, v, min, max);
  }

  private int checkInt(String key, JsonNode v, int min, int max) {
    long value;
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      value = v.asLong();
    } else if (v.isTextual() && v.asText().trim().matches("-?[0-9]{1,18}")) {
      value = Long.parseLong(v.asText().trim());
    } else {
      throw CofferException.validation(at(key) + " " + describe(v) + " is not of type 'integer'");
    }
    if (value < min) {
      throw CofferException.validation(
          at(key) + " " + value + " is less than the minimum of " + min);
    }
    if (value > max) {
      throw CofferException.validation(
          at(key) + " " + value + " is greater than the maximum of " + max);
    }
    return (int) value;
  }

  /** A required number (integer or not) of at least {@code min}. */
  public double requiredNumber(String key, double min) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      throw missing(key);
    }
    if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
      throw CofferException.validation(at(key) + " " + describe(v) + " is not of type 'number'");
    }
    if (v.asDouble() < min) {
      throw CofferException.validation(
          at(key) + " " + v.asText() + " is less than the minimum of " + (long) min);
    }
    return v.asDouble();
  }

  /** An optional boolean (0/1 accepted, as Trove's clients send them). */
  public Boolean optionalBoolean(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isIntegralNumber() && (v.asInt() == 0 || v.asInt() == 1)) {
      return v.asInt() == 1;
    }
    if (v.isTextual() && v.asText().matches("(?i)true|false|0|1")) {
      return v.asText().equalsIgnoreCase("true") || v.asText().equals("1");
    }
    throw CofferException.validation(at(key) + " " + describe(v) + " is not of type 'boolean'");
  }

  /** An optional object. */
  public Body optionalObject(String key) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw CofferException.validation(at(key) + " " + describe(v) + " is not of type 'object'");
    }
    return new Body(v, at(key));
  }

  /** A required object. */
  public Body requiredObject(String key) {
    Body b = optionalObject(key);
    if (b == null) {
      throw missing(key);
    }
    return b;
  }

  /** The objects of an optional array (empty when absent); at most {@code max} items. */
  public List<Body> objects(String key, int max) {
    JsonNode v = node.get(key);
    List<Body> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw CofferException.validation(at(key) + " " + describe(v) + " is not of type 'array'");
    }
    if (v.size() > max) {
      throw CofferException.validation(at(key) + " is too long (at most " + max + " items)");
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      String p = at(key) + "[" + i + "]";
      if (!item.isObject()) {
        throw CofferException.validation(p + " " + describe(item) + " is not of type 'object'");
      }
      out.add(new Body(item, p));
    }
    return out;
  }

  /** The strings of an optional array. */
  public List<String> strings(String key, int maxItems, int maxLength) {
    JsonNode v = node.get(key);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) {
      return out;
    }
    if (!v.isArray()) {
      throw CofferException.validation(at(key) + " " + describe(v) + " is not of type 'array'");
    }
    if (v.size() > maxItems) {
      throw CofferException.validation(at(key) + " is too long (at most " + maxItems + " items)");
    }
    for (int i = 0; i < v.size(); i++) {
      JsonNode item = v.get(i);
      if (!item.isTextual() || item.asText().length() > maxLength) {
        throw CofferException.validation(
            at(key) + "[" + i + "] " + describe(item) + " is not a valid string");
      }
      out.add(item.asText());
    }
    return out;
  }

  /** Fails if the object holds keys other than {@code allowed}. */
  public Body only(String... allowed) {
    List<String> extra = new ArrayList<>(keys());
    extra.removeAll(List.of(allowed));
    if (!extra.isEmpty()) {
      throw CofferException.validation(
          path
              + " Additional properties are not allowed ('"
              + String.join("', '", extra)
              + "' was unexpected)");
    }
    return this;
  }

  /** How a value is shown in an error. */
  static String describe(JsonNode v) {
    if (v == null || v.isNull()) {
      return "None";
    }
    if (v.getNodeType() == JsonNodeType.STRING) {
      return "'" + abbreviate(v.asText()) + "'";
    }
    return abbreviate(v.toString());
  }

  private static String abbreviate(String s) {
    return s.length() > 64 ? s.substring(0, 61) + "..." : s;
  }
}
