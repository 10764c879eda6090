package io.coffer.api.v1;

import io.coffer.api.fault.CofferException;
import jakarta.ws.rs.core.UriInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The query of a {@code next} link: the request's own parameters with the new limit and marker. */
final class Paging {

  private Paging() {}

  /** A {@code limit} query parameter: absent, or a whole number; 400 otherwise. */
  static Integer limit(String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    if (!raw.matches("-?[0-9]{1,9}")) {
      throw CofferException.validation("limit '" + raw + "' is not of type 'integer'");
    }
    return Integer.parseInt(raw);
  }

  static String nextQuery(UriInfo uri, int limit, String marker) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : uri.getQueryParameters().entrySet()) {
      if (e.getKey().equals("limit") || e.getKey().equals("marker")) {
        continue;
      }
      for (String v : e.getValue()) {
        parts.add(enc(e.getKey()) + "=" + enc(v));
      }
    }
    parts.add("limit=" + limit);
    parts.add("marker=" + enc(marker));
    return String.join("&", parts);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
