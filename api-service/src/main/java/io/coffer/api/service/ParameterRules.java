package io.coffer.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.coffer.api.fault.CofferException;
import io.coffer.persistence.entity.ParameterRuleEntity;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validates configuration values against a datastore version's parameter rules, with Trove's
 * messages (422), and converts stored text back to typed values.
 */
public final class ParameterRules {

  private final Map<String, ParameterRuleEntity> byName = new LinkedHashMap<>();
  private final String datastore;

  /** Rules of one version, for messages naming {@code datastore} (e.g. {@code postgresql 15}). */
  public ParameterRules(List<ParameterRuleEntity> rules, String datastore) {
    rules.forEach(r -> byName.put(r.name.toLowerCase(Locale.ROOT), r));
    this.datastore = datastore;
  }

  /** The rule of a parameter (case-insensitive), or {@code null}. */
  public ParameterRuleEntity rule(String name) {
    return byName.get(name.toLowerCase(Locale.ROOT));
  }

  /** Checks every value; returns them as text keyed by the rule's own spelling. */
  public Map<String, String> check(JsonNode values) {
    if (values == null || !values.isObject()) {
      throw CofferException.validation("configuration['values'] is not of type 'object'");
    }
    if (byName.isEmpty()) {
      throw CofferException.unprocessable(
          "Configuration groups are not supported for this datastore: " + datastore);
    }
    Map<String, String> out = new LinkedHashMap<>();
    var it = values.fields();
    while (it.hasNext()) {
      var e = it.next();
      ParameterRuleEntity rule = rule(e.getKey());
      if (rule == null) {
        throw CofferException.unprocessable(
            "The configuration parameter "
                + e.getKey()
                + " is not supported for this datastore: "
                + datastore
                + ".");
      }
      out.put(rule.name, checkValue(rule, e.getValue()));
    }
    return out;
  }

  private static String checkValue(ParameterRuleEntity rule, JsonNode v) {
    String type = rule.dataType == null ? "string" : rule.dataType.toLowerCase(Locale.ROOT);
    boolean ok =
        switch (type) {
          case "integer" -> v.isIntegralNumber();
          case "float" -> v.isNumber();
          case "boolean" -> v.isBoolean();
          default -> v.isTextual();
        };
    if (!ok) {
      throw CofferException.unprocessable(
          "The value provided for the configuration parameter "
              + rule.name
              + " is not of type "
              + type
              + ".");
    }
    if (v.isNumber()) {
      BigDecimal value = v.decimalValue();
      if (rule.minSize != null
          && !rule.minSize.isBlank()
          && value.compareTo(new BigDecimal(rule.minSize)) < 0) {
        throw CofferException.unprocessable(
            "The value for the configuration parameter "
                + rule.name
                + " is less than the minimum allowed: "
                + rule.minSize);
      }
      if (rule.maxSize != null
          && !rule.maxSize.isBlank()
          && value.compareTo(new BigDecimal(rule.maxSize)) > 0) {
        throw CofferException.unprocessable(
            "The value for the configuration parameter "
                + rule.name
                + " is greater than the maximum allowed: "
                + rule.maxSize);
      }
      return value.toPlainString();
    }
    if (v.isTextual() && v.asText().length() > 128) {
      throw CofferException.unprocessable(
          "The value for the configuration parameter " + rule.name + " is too long.");
    }
    return v.asText();
  }

  /** A stored value with the rule's type: integers and floats as numbers, booleans as booleans. */
  public Object typed(String name, String text) {
    ParameterRuleEntity rule = rule(name);
    String type =
        rule == null || rule.dataType == null ? "string" : rule.dataType.toLowerCase(Locale.ROOT);
    try {
      return switch (type) {
        case "integer" -> Long.parseLong(text);
        case "float" -> Double.parseDouble(text);
        case "boolean" -> Boolean.parseBoolean(text);
        default -> text;
      };
    } catch (NumberFormatException e) {
      return text;
    }
  }

  /** Whether changing any of these parameters needs a restart. */
  public boolean restartRequired(Iterable<String> names) {
    for (String n : names) {
      ParameterRuleEntity r = rule(n);
      if (r != null && r.restartRequired) {
        return true;
      }
    }
    return false;
  }
}
