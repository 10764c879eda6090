package io.coffer.api.v1.view;

import io.coffer.persistence.entity.DatastoreEntity;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import io.coffer.persistence.entity.FlavorEntity;
import io.coffer.persistence.entity.ParameterRuleEntity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Trove's datastore, version, flavor and parameter views. */
public final class DatastoreViews {

  private DatastoreViews() {}

  /** A datastore with its (already filtered) versions. */
  public static Map<String, Object> datastore(
      DatastoreEntity ds, List<DatastoreVersionEntity> versions, Links links, boolean admin) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", ds.id);
    v.put("name", ds.name);
    v.put("links", links.of("datastores/" + ds.id));
    List<Map<String, Object>> vs = new ArrayList<>();
    for (DatastoreVersionEntity dv : versions) {
      vs.add(version(dv, links, admin, false));
    }
    v.put("versions", vs);
    if (ds.defaultVersionId != null) {
      v.put("default_version", ds.defaultVersionId);
    }
    return v;
  }

  /** A version; {@code withDatastore} adds the datastore id (outside a datastore view). */
  public static Map<String, Object> version(
      DatastoreVersionEntity dv, Links links, boolean admin, boolean withDatastore) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", dv.id);
    v.put("name", dv.name);
    v.put("version", dv.version);
    v.put("links", links.of("datastores/versions/" + dv.id));
    if (withDatastore) {
      v.put("datastore", dv.datastoreId);
    }
    if (admin) {
      v.put("active", dv.active);
      v.put("packages", dv.packages == null ? "" : dv.packages);
      v.put("image", dv.imageId);
      v.put("image_tags", dv.imageTagList());
    }
    return v;
  }

  /** The mgmt view of a version. */
  public static Map<String, Object> mgmtVersion(DatastoreVersionEntity dv, DatastoreEntity ds) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", dv.id);
    v.put("name", dv.name);
    v.put("version", dv.version);
    v.put("datastore_id", dv.datastoreId);
    v.put("datastore_name", ds == null ? null : ds.name);
    v.put("datastore_manager", dv.manager);
    v.put("image", dv.imageId);
    v.put("image_tags", dv.imageTagList().isEmpty() ? List.of("") : dv.imageTagList());
    v.put("packages", dv.packageList().isEmpty() ? List.of("") : dv.packageList());
    v.put("active", dv.active);
    v.put("default", ds != null && dv.id.equals(ds.defaultVersionId));
    return v;
  }

  /**
   * A flavor. Trove's {@code id} is the integer id when the id is all digits without a leading
   * zero, else null; {@code str_id} always has it.
   */
  public static Map<String, Object> flavor(FlavorEntity f, Links links) {
    Map<String, Object> v = new LinkedHashMap<>();
    boolean numeric = f.id.matches("[1-9][0-9]{0,17}") || f.id.equals("0");
    v.put("id", numeric ? Long.parseLong(f.id) : null);
    v.put("str_id", f.id);
    v.put("name", f.name);
    v.put("ram", f.ram);
    v.put("vcpus", f.vcpus);
    v.put("disk", f.disk);
    v.put("ephemeral", f.ephemeral);
    v.put("links", links.of("flavors/" + f.id));
    return v;
  }

  /** A configuration parameter: public views say max/min, mgmt views max_size/min_size. */
  public static Map<String, Object> parameter(ParameterRuleEntity p, boolean mgmt) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("name", p.name);
    v.put("datastore_version_id", p.datastoreVersionId);
    v.put("restart_required", p.restartRequired);
    v.put("type", p.dataType);
    Object max = number(p.maxSize);
    Object min = number(p.minSize);
    if (mgmt) {
      v.put("max_size", max);
      v.put("min_size", min);
    } else {
      if (max != null) {
        v.put("max", max);
      }
      if (min != null) {
        v.put("min", min);
      }
    }
    return v;
  }

  private static Object number(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e2) {
        return s;
      }
    }
  }
}
