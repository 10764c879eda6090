-- Automated backups (a Coffer extension): one policy per instance, a daily window (UTC) and a
-- retention; last_started makes each window's backup start once, whichever taskmanager runs it.
CREATE TABLE backup_policies (
    instance_id    varchar(36)  PRIMARY KEY,
    tenant_id      varchar(255) NOT NULL,
    window_start   varchar(5)   NOT NULL,
    retention_days integer      NOT NULL,
    last_started   timestamptz,
    created        timestamptz  NOT NULL,
    updated        timestamptz  NOT NULL
);
ALTER TABLE backups ADD COLUMN automated boolean NOT NULL DEFAULT false;
