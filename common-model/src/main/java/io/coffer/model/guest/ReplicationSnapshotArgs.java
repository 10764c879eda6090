package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Arguments of {@code get_replication_snapshot}.
 *
 * @param snapshotInfo the backup record to take the snapshot as
 * @param replicaSourceConfig source-side replication settings
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReplicationSnapshotArgs(
    Map<String, Object> snapshotInfo, Map<String, Object> replicaSourceConfig) {}
