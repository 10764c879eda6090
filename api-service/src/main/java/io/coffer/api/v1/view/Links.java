package io.coffer.api.v1.view;

import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.Map;

/**
 * Trove's resource links: {@code self} = {@code https://<Host>/v1.0/<project>/<path>}, {@code
 * bookmark} = {@code https://<Host>/<path>}. Trove always writes {@code https}.
 *
 * @param host the request's Host header
 * @param projectId the project in the request path
 */
public record Links(String host, String projectId) {

  /** Links for the current request. */
  public static Links of(HttpHeaders headers, String projectId) {
    String host = headers.getHeaderString(HttpHeaders.HOST);
    return new Links(host == null ? "localhost" : host, projectId);
  }

  /** The URL of a collection path within the project. */
  public String url(String path) {
    return "https://" + host + "/v1.0/" + projectId + "/" + path;
  }

  /** {@code [self, bookmark]} for {@code path}, e.g. {@code instances/<id>}. */
  public List<Map<String, String>> of(String path) {
    return List.of(
        Map.of("href", url(path), "rel", "self"),
        Map.of("href", "https://" + host + "/" + path, "rel", "bookmark"));
  }

  /** The {@code next} link of a page. */
  public List<Map<String, String>> next(String path, String query) {
    return List.of(Map.of("href", url(path) + "?" + query, "rel", "next"));
  }
}
