package io.coffer.model.common;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A network interface request.
 *
 * @param networkId network to attach to
 * @param subnetId subnet within it, optional
 * @param ipAddress fixed IPv4 address, optional
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record NicInfo(String networkId, String subnetId, String ipAddress) {}
