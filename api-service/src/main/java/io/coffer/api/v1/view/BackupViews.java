package io.coffer.api.v1.view;

import io.coffer.persistence.entity.BackupEntity;
import io.coffer.persistence.entity.DatastoreEntity;
import io.coffer.persistence.entity.DatastoreVersionEntity;
import java.util.LinkedHashMap;
import java.util.Map;

/** Trove's backup view. */
public final class BackupViews {

  private BackupViews() {}

  /** A backup; the datastore is shown when its version is known. */
  public static Map<String, Object> backup(
      BackupEntity b, DatastoreVersionEntity version, DatastoreEntity datastore) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("id", b.id);
    v.put("name", b.name);
    v.put("description", b.description);
    v.put("locationRef", b.location);
    v.put("instance_id", b.instanceId);
    v.put("created", Times.format(b.created));
    v.put("updated", Times.format(b.updated));
    v.put("size", b.size);
    v.put("status", b.state);
    v.put("parent_id", b.parentId);
    v.put("project_id", b.tenantId);
    if (b.failReason != null) {
      // Coffer: why the backup failed (Trove keeps no reason)
      v.put("fail_reason", b.failReason);
    }
    if (version != null) {
      Map<String, Object> ds = new LinkedHashMap<>();
      ds.put("type", datastore == null ? null : datastore.name);
      ds.put("version", version.name);
      ds.put("version_id", version.id);
      v.put("datastore", ds);
    }
    return v;
  }
}
