-- Trove's API notifications (dbaas.<action>.start|end|error): the API writes the start, and for
-- work another daemon finishes it records here, in the transaction that hands the work over, the
-- notification whose end (or error) that daemon writes to notification_outbox when the work ends.
-- subject_id: the instance or backup the work is about; stage: what ends it (an instance task,
-- backup_create, backup_delete).
CREATE TABLE notification_pending (
    id          bigserial    PRIMARY KEY,
    subject_id  varchar(36)  NOT NULL,
    stage       varchar(64)  NOT NULL,
    event_type  varchar(255) NOT NULL,
    payload     text         NOT NULL,
    created     timestamptz  NOT NULL
);
CREATE INDEX notification_pending_subject ON notification_pending (subject_id);
