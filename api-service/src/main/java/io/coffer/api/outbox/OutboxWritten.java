package io.coffer.api.outbox;

/** A task was written to the outbox in the current transaction. */
record OutboxWritten(long id) {}
