package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.coffer.model.common.RestoreInfo;
import io.coffer.model.secret.Secret;
import java.util.List;
import java.util.Map;

/**
 * Arguments of {@code prepare} (version 1.1): everything the guest needs to set up its database
 * server.
 *
 * @param packages datastore packages
 * @param databases databases to create
 * @param memoryMb memory of the flavor in MB, from which the server's memory settings derive
 * @param users users to create
 * @param devicePath block device of the data volume
 * @param mountPoint where the data volume is mounted
 * @param backupInfo backup to restore, optional
 * @param configContents rendered main configuration file
 * @param rootPassword root password to set, optional
 * @param overrides configuration overrides from an attached group
 * @param clusterConfig cluster membership (unsupported)
 * @param snapshot replication snapshot of a replica, optional
 * @param modules modules to apply (unsupported)
 * @param dsVersion datastore version number
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PrepareArgs(
    List<String> packages,
    List<DatabaseModel> databases,
    Integer memoryMb,
    List<UserModel> users,
    String devicePath,
    String mountPoint,
    RestoreInfo backupInfo,
    String configContents,
    Secret rootPassword,
    Map<String, Object> overrides,
    Map<String, Object> clusterConfig,
    Map<String, Object> snapshot,
    List<Map<String, Object>> modules,
    String dsVersion) {}
