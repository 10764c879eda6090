package io.coffer.api.v1.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A database to create: {@code {"name", "character_set"?, "collate"?}}.
 *
 * @param name database name
 * @param characterSet character set (encoding on PostgreSQL)
 * @param collate collation
 */
public record NewDatabase(String name, String characterSet, String collate) {

  /** The databases of an optional array; duplicate names are refused. */
  public static List<NewDatabase> list(Body b, String key) {
    List<NewDatabase> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Body d : b.objects(key, 100)) {
      NewDatabase db =
          new NewDatabase(
              d.requiredString("name", 64),
              d.optionalString("character_set", 64),
              d.optionalString("collate", 64));
      if (!seen.add(db.name())) {
        throw io.coffer.api.fault.CofferException.badRequest(
            "Cannot create databases: the name " + db.name() + " is given twice.");
      }
      out.add(db);
    }
    return out;
  }
}
