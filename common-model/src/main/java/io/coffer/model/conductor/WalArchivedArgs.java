package io.coffer.model.conductor;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code wal_archived} (Coffer): how far an instance's write-ahead log archive in the
 * backup storage reaches.
 *
 * @param instanceId the instance
 * @param sent when the guest sent it: epoch seconds with microseconds
 * @param latestSegment the newest WAL segment in the archive
 * @param latestTime every commit up to this instant (ISO-8601, the server's clock) is archived
 * @param markerTime the time of the last commit the archive holds, a marker the guest commits
 *     before each segment switch; after it and up to {@code latestTime} nothing was committed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WalArchivedArgs(
    String instanceId, Double sent, String latestSegment, String latestTime, String markerTime) {}
