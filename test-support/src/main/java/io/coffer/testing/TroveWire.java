package io.coffer.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;

/**
 * The recorded traffic between python-troveclient and a real Trove 18 API: the compatibility
 * oracle. A field Trove sends and Coffer does not is a bug.
 */
public final class TroveWire {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonNode commands;

  private TroveWire() {}

  private static synchronized JsonNode commands() {
    if (commands == null) {
      try (InputStream in =
              TroveWire.class.getResourceAsStream(
                  "/trove-wire/http-real-trove-openstack-cli.json");
          InputStream rep =
              TroveWire.class.getResourceAsStream(
                  "/trove-wire/http-real-trove-openstack-cli-replication.json")) {
        var all = JSON.createArrayNode();
        JSON.readTree(in).forEach(all::add);
        JSON.readTree(rep).forEach(all::add);
        commands = all;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return commands;
  }

  /** The response body of the first request of a command whose method and path suffix match. */
  public static JsonNode response(String label, String method, String pathSuffix) {
    for (JsonNode c : commands()) {
      if (!c.path("label").asText().equals(label)) {
        continue;
      }
      for (JsonNode r : c.path("requests")) {
        if (r.path("method").asText().equals(method)
            && r.path("path").asText().endsWith(pathSuffix)) {
          return r.path("response_body");
        }
      }
    }
    throw new IllegalArgumentException(
        "no recorded " + method + " *" + pathSuffix + " in '" + label + "'");
  }

  /** Every key path of a JSON value, arrays collapsed to {@code [*]}. */
  public static TreeSet<String> paths(JsonNode node) {
    TreeSet<String> out = new TreeSet<>();
    collect(node, "", out);
    return out;
  }

  private static void collect(JsonNode node, String prefix, TreeSet<String> out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String p = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
        out.add(p);
        collect(e.getValue(), p, out);
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        collect(item, prefix + "[*]", out);
      }
    }
  }
}
