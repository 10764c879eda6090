package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code guest_log_action}.
 *
 * @param logName the log
 * @param enable enable it
 * @param disable disable it
 * @param publish publish it
 * @param discard discard published data
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record GuestLogActionArgs(
    String logName, Boolean enable, Boolean disable, Boolean publish, Boolean discard) {}
