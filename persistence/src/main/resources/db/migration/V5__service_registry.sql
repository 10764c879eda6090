-- The control plane's own processes (api, taskmanager, conductor): each refreshes its row every few
-- seconds with its readiness, for the operators' dashboard. A row not refreshed for a while is a
-- process that is gone.
CREATE TABLE coffer_services (
    id        varchar(255)  PRIMARY KEY,
    service   varchar(64)   NOT NULL,
    host      varchar(255)  NOT NULL,
    pid       bigint        NOT NULL,
    version   varchar(64)   NOT NULL,
    started   timestamptz   NOT NULL,
    last_seen timestamptz   NOT NULL,
    ready     boolean       NOT NULL,
    detail    varchar(1024)
);
