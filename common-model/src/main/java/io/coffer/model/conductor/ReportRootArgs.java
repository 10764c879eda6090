package io.coffer.model.conductor;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code report_root}.
 *
 * @param instanceId the instance whose root account was enabled
 * @param user legacy argument, ignored
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record ReportRootArgs(String instanceId, String user) {}
