-- Trove's API notifications (dbaas.<action>.start|end|error): the API writes the start, and for an
-- action the taskmanager carries out it records here, in the transaction that gives the instance
-- its task, the notification whose end (or error) the taskmanager writes to notification_outbox
-- when that task ends.
CREATE TABLE notification_pending (
    id          bigserial    PRIMARY KEY,
    instance_id varchar(36)  NOT NULL,
    task_id     integer      NOT NULL,
    event_type  varchar(255) NOT NULL,
    payload     text         NOT NULL,
    created     timestamptz  NOT NULL
);
CREATE INDEX notification_pending_instance ON notification_pending (instance_id);
