package io.coffer.model.guest;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Arguments of {@code wait_for_txn}.
 *
 * @param txn the transaction position (an LSN on PostgreSQL) to wait for
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record WaitForTxnArgs(String txn) {}
