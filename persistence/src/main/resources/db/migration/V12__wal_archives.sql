-- Point-in-time recovery (a Coffer extension): how far each instance's write-ahead log archive in
-- the backup storage reaches, reported by its guest through the conductor. The row outlives the
-- instance while the archive does (as long as one of the instance's backups is kept).
CREATE TABLE wal_archives (
    instance_id    varchar(36)  PRIMARY KEY,
    tenant_id      varchar(255) NOT NULL,
    container      varchar(255) NOT NULL,
    started        timestamptz  NOT NULL,
    latest_segment varchar(64),
    latest_time    timestamptz  NOT NULL,
    marker_time    timestamptz  NOT NULL,
    updated        timestamptz  NOT NULL
);
CREATE INDEX wal_archives_tenant ON wal_archives (tenant_id);
