package io.coffer.model.conductor;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Map;

/**
 * Arguments of {@code notify_exc_info}: a failure on the guest.
 *
 * @param serializedNotification the notification context (holds {@code instance_id})
 * @param message what failed
 * @param exception traceback text
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record NotifyExcInfoArgs(
    Map<String, Object> serializedNotification, String message, String exception) {}
