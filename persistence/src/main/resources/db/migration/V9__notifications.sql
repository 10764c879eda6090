-- Who asked for an instance (Keystone user id), for Trove's usage notifications.
ALTER TABLE instances ADD COLUMN user_id varchar(255);

-- Notifications decided on, written in the same transaction as the change they report and sent to
-- the notification bus after commit: a broker outage delays them, never loses them.
CREATE TABLE notification_outbox (
    id         bigserial    PRIMARY KEY,
    created    timestamptz  NOT NULL,
    event_type varchar(255) NOT NULL,
    priority   varchar(16)  NOT NULL,
    body       text         NOT NULL,
    attempts   integer      NOT NULL DEFAULT 0,
    last_error text
);

-- The periodic trove.instance.exists audit: one row per period, with how far it got, so that
-- each live instance is reported once per period whichever taskmanager runs it.
CREATE TABLE notification_audits (
    period_start     timestamptz  PRIMARY KEY,
    period_end       timestamptz  NOT NULL,
    last_instance_id varchar(36)  NOT NULL DEFAULT '',
    finished         boolean      NOT NULL DEFAULT false
);
