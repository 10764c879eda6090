package io.coffer.model.taskmanager;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.coffer.model.common.AccessInfo;
import io.coffer.model.common.FlavorInfo;
import io.coffer.model.common.NicInfo;
import io.coffer.model.guest.DatabaseModel;
import io.coffer.model.guest.UserModel;
import io.coffer.model.secret.Secret;
import java.util.List;
import java.util.Map;

/**
 * Arguments of {@code create_instance}. For several replicas created at once, Trove sends lists of
 * ids, names and root passwords; for one instance, plain strings. Both forms are read, and one
 * element is written as a plain string.
 *
 * @param instanceId the instance id, or the ids of replicas created together
 * @param name the instance name(s)
 * @param flavor the flavor
 * @param imageId image to boot (compute drivers with images)
 * @param databases databases to create at prepare
 * @param users users to create at prepare
 * @param datastoreManager datastore manager, e.g. {@code postgresql}
 * @param packages datastore packages (comma-separated)
 * @param volumeSize volume size in GB
 * @param backupId backup to restore from, optional
 * @param availabilityZone availability zone, optional
 * @param rootPassword root password(s) to set at prepare, optional
 * @param nics network interfaces
 * @param overrides configuration overrides (an attached configuration group)
 * @param slaveOfId source instance of a replica, optional
 * @param clusterConfig cluster membership (clusters are not supported)
 * @param volumeType volume type, optional
 * @param modules modules to apply (not supported)
 * @param locality {@code affinity} or {@code anti-affinity}, optional
 * @param access network access
 * @param dsVersion datastore version number
 * @param walArchiveOf point-in-time recovery (Coffer): the instance whose write-ahead log archive
 *     is replayed after the backup {@code backupId}, or null
 * @param restoreTime point-in-time recovery: the instant replay stops at (ISO-8601), or null for
 *     the archive's end
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreateInstanceArgs(
    @JsonFormat(
            with = {
              JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
              JsonFormat.Feature.WRITE_SINGLE_ELEM_ARRAYS_UNWRAPPED
            })
        List<String> instanceId,
    @JsonFormat(
            with = {
              JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
              JsonFormat.Feature.WRITE_SINGLE_ELEM_ARRAYS_UNWRAPPED
            })
        List<String> name,
    FlavorInfo flavor,
    String imageId,
    List<DatabaseModel> databases,
    List<UserModel> users,
    String datastoreManager,
    String packages,
    Integer volumeSize,
    String backupId,
    String availabilityZone,
    @JsonFormat(
            with = {
              JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY,
              JsonFormat.Feature.WRITE_SINGLE_ELEM_ARRAYS_UNWRAPPED
            })
        List<Secret> rootPassword,
    List<NicInfo> nics,
    Map<String, Object> overrides,
    String slaveOfId,
    Map<String, Object> clusterConfig,
    String volumeType,
    List<Map<String, Object>> modules,
    String locality,
    AccessInfo access,
    String dsVersion,
    @JsonInclude(JsonInclude.Include.NON_NULL) String walArchiveOf,
    @JsonInclude(JsonInclude.Include.NON_NULL) String restoreTime) {}
