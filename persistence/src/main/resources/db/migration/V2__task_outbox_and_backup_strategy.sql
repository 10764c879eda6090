-- Tasks the API has decided on, written in the same transaction as the decision and published to
-- the taskmanager after commit. A task is never lost when the broker is down: it waits here.
CREATE TABLE task_outbox (
    id         bigserial    PRIMARY KEY,
    created    timestamptz  NOT NULL,
    topic      varchar(255) NOT NULL,
    method     varchar(64)  NOT NULL,
    body       text         NOT NULL,
    attempts   integer      NOT NULL DEFAULT 0,
    last_error text
);

-- Trove's backup_strategy: where a project's (or one instance's) backups go.
CREATE TABLE backup_strategy (
    id              varchar(36)  PRIMARY KEY,
    tenant_id       varchar(255) NOT NULL,
    instance_id     varchar(36)  NOT NULL DEFAULT '',
    backend         varchar(255) NOT NULL,
    swift_container varchar(255),
    created         timestamptz  NOT NULL,
    CONSTRAINT backup_strategy_unique UNIQUE (tenant_id, instance_id)
);
