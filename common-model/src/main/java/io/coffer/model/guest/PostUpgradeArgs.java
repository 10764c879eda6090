package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Arguments of {@code post_upgrade}.
 *
 * @param upgradeInfo what {@code pre_upgrade} returned
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record PostUpgradeArgs(Map<String, Object> upgradeInfo) {}
