package io.coffer.api.v1.view;

import io.coffer.persistence.entity.ConfigurationEntity;
import io.coffer.persistence.entity.DatastoreEntity;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Trove's configuration group views. */
public final class ConfigurationViews {

  private ConfigurationViews() {}

  /** The list item. */
  public static Map<String, Object> summary(
      ConfigurationEntity c, DatastoreVersionEntity v, DatastoreEntity ds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", c.id);
    m.put("name", c.name);
    m.put("description", c.description);
    m.put("created", Times.format(c.created));
    m.put("updated", Times.format(c.updated));
    m.put("datastore_version_id", c.datastoreVersionId);
    m.put("datastore_name", ds == null ? null : ds.name);
    m.put("datastore_version_name", v == null ? null : v.name);
    return m;
  }

  /** The detailed view: values (password-like ones masked) and the instance count. */
  public static Map<String, Object> detail(
      ConfigurationEntity c,
      DatastoreVersionEntity v,
      DatastoreEntity ds,
      Map<String, Object> values,
      long instanceCount) {
    Map<String, Object> m = summary(c, v, ds);
    m.put("datastore_version_number", v == null ? null : v.version);
    m.put("instance_count", instanceCount);
    Map<String, Object> shown = new LinkedHashMap<>();
    values.forEach(
        (k, val) -> shown.put(k, k.toLowerCase(Locale.ROOT).contains("password") ? "***" : val));
    m.put("values", shown);
    return m;
  }
}
