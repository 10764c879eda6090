package io.coffer.model.common;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * Network access of an instance: whether it has a public address and which CIDRs may connect.
 *
 * @param isPublic whether the instance is reachable from outside the tenant network
 * @param allowedCidrs source CIDRs allowed to connect; empty means any
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record AccessInfo(Boolean isPublic, List<String> allowedCidrs) {}
