package io.coffer.model.conductor;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Arguments of {@code notify_end}.
 *
 * @param serializedNotification the notification context
 * @param notificationArgs the notification's arguments
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record NotifyEndArgs(
    Map<String, Object> serializedNotification, Map<String, Object> notificationArgs) {}
