package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Arguments of the guest's {@code upgrade}.
 *
 * @param upgradeInfo what to upgrade to ({@code datastore_version}, …)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record UpgradeArgs(Map<String, Object> upgradeInfo) {}
