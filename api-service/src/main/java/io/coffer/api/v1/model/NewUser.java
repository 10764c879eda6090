package io.coffer.api.v1.model;

import io.coffer.api.fault.CofferException;
import io.coffer.model.secret.Secret;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A user to create: {@code {"name", "password", "host"?, "databases"?: [{"name"}]}}. The password
 * is a {@link Secret}.
 *
 * @param name user name
 * @param password password
 * @param host host ({@code %} when absent)
 * @param databases databases to grant
 */
public record NewUser(String name, Secret password, String host, List<String> databases) {

  /** The users of an optional array; duplicate name@host pairs are refused. */
  public static List<NewUser> list(Body b, String key) {
    List<NewUser> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Body u : b.objects(key, 100)) {
      NewUser user = of(u);
      if (!seen.add(user.name() + "@" + user.host())) {
        throw CofferException.badRequest(
            "Cannot create users: " + user.name() + "@" + user.host() + " is given twice.");
      }
      out.add(user);
    }
    return out;
  }

  /** One user object. */
  public static NewUser of(Body u) {
    String name = u.requiredString("name", 63);
    if (!u.hasValue("password")) {
      throw CofferException.validation("users 'password' is a required property");
    }
    String password = u.requiredString("password", 255);
    String host = io.coffer.api.service.Names.checkHost(u.optionalString("host", 255));
    List<String> dbs = new ArrayList<>();
    for (Body d : u.objects("databases", 100)) {
      dbs.add(d.requiredString("name", 64));
    }
    return new NewUser(name, new Secret(password), host == null ? "%" : host, dbs);
  }
}
