package io.coffer.model.guest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.coffer.model.secret.Secret;
import java.util.List;

/**
 * A database user as Trove's guest models serialise it: {@code {"_name", "_host", "_password",
 * "_databases", "_is_root"}}. The password is a {@link Secret}, so it never prints.
 *
 * @param name user name
 * @param host host the user may connect from ({@code %} for any)
 * @param password the password, or {@code null} when not sent
 * @param databases databases the user has access to
 * @param isRoot whether this is the root (superuser) account
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserModel(
    @JsonProperty("_name") String name,
    @JsonProperty("_host") String host,
    @JsonProperty("_password") Secret password,
    @JsonProperty("_databases") List<DatabaseModel> databases,
    @JsonProperty("_is_root") Boolean isRoot) {

  /** Host meaning "from anywhere". */
  public static final String ANY_HOST = "%";

  /** The host, {@code %} when absent. */
  public String hostOrAny() {
    return host == null || host.isEmpty() ? ANY_HOST : host;
  }

  /** The databases, empty when absent. */
  public List<DatabaseModel> databasesOrEmpty() {
    return databases == null ? List.of() : databases;
  }
}
