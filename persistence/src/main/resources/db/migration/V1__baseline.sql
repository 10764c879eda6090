-- Coffer infrastructure database, baseline.
-- Table and column names are Trove's (trove/db/sqlalchemy), so operators and tools that know
-- Trove's schema find their way; types are PostgreSQL's (timestamptz, boolean, double precision).
-- Rows are soft-deleted (deleted, deleted_at) where Trove soft-deletes them.

CREATE TABLE datastores (
    id                 varchar(36)  PRIMARY KEY,
    name               varchar(255) NOT NULL UNIQUE,
    default_version_id varchar(36)
);

CREATE TABLE datastore_versions (
    id           varchar(36)  PRIMARY KEY,
    datastore_id varchar(36)  NOT NULL REFERENCES datastores (id),
    name         varchar(255) NOT NULL,
    image_id     varchar(36),
    packages     varchar(511),
    active       boolean      NOT NULL,
    manager      varchar(255),
    image_tags   varchar(255),
    version      varchar(255),
    CONSTRAINT ds_versions_unique UNIQUE (datastore_id, name, version)
);

-- Per-version whitelists (key 'flavor' or 'volume_type').
CREATE TABLE datastore_version_metadata (
    id                   varchar(36)  PRIMARY KEY,
    datastore_version_id varchar(36)  NOT NULL REFERENCES datastore_versions (id) ON DELETE CASCADE,
    key                  varchar(128) NOT NULL,
    value                varchar(128),
    created              timestamptz  NOT NULL,
    deleted              boolean      NOT NULL DEFAULT false,
    deleted_at           timestamptz,
    updated_at           timestamptz,
    CONSTRAINT ds_version_metadata_unique UNIQUE (datastore_version_id, key, value)
);

CREATE TABLE datastore_configuration_parameters (
    id                   varchar(36)  PRIMARY KEY,
    name                 varchar(128) NOT NULL,
    datastore_version_id varchar(36)  NOT NULL REFERENCES datastore_versions (id),
    restart_required     boolean      NOT NULL,
    max_size             varchar(40),
    min_size             varchar(40),
    data_type            varchar(128) NOT NULL,
    deleted              boolean      NOT NULL DEFAULT false,
    deleted_at           timestamptz,
    CONSTRAINT ds_config_params_unique UNIQUE (datastore_version_id, name)
);

CREATE TABLE configurations (
    id                   varchar(36)  PRIMARY KEY,
    name                 varchar(64)  NOT NULL,
    description          varchar(256),
    tenant_id            varchar(255) NOT NULL,
    datastore_version_id varchar(36)  NOT NULL REFERENCES datastore_versions (id),
    deleted              boolean      NOT NULL DEFAULT false,
    deleted_at           timestamptz,
    created              timestamptz  NOT NULL,
    updated              timestamptz  NOT NULL
);
CREATE INDEX configurations_tenant_idx ON configurations (tenant_id) WHERE NOT deleted;

CREATE TABLE configuration_parameters (
    configuration_id    varchar(36)  NOT NULL REFERENCES configurations (id),
    configuration_key   varchar(128) NOT NULL,
    configuration_value varchar(128),
    deleted             boolean      NOT NULL DEFAULT false,
    deleted_at          timestamptz,
    PRIMARY KEY (configuration_id, configuration_key)
);

-- Coffer keeps its own flavors: the local compute driver has no Nova.
CREATE TABLE flavors (
    id        varchar(255) PRIMARY KEY,
    name      varchar(255) NOT NULL UNIQUE,
    ram       integer      NOT NULL,
    vcpus     integer      NOT NULL,
    disk      integer      NOT NULL DEFAULT 0,
    ephemeral integer      NOT NULL DEFAULT 0,
    swap      integer      NOT NULL DEFAULT 0,
    is_public boolean      NOT NULL DEFAULT true,
    deleted   boolean      NOT NULL DEFAULT false,
    created   timestamptz  NOT NULL,
    updated   timestamptz  NOT NULL
);

CREATE TABLE instances (
    id                   varchar(36)  PRIMARY KEY,
    created              timestamptz  NOT NULL,
    updated              timestamptz  NOT NULL,
    name                 varchar(255) NOT NULL,
    hostname             varchar(255),
    compute_instance_id  varchar(255),
    task_id              integer      NOT NULL,
    task_description     varchar(255) NOT NULL,
    task_start_time      timestamptz,
    volume_id            varchar(255),
    flavor_id            varchar(255),
    volume_size          integer,
    tenant_id            varchar(255) NOT NULL,
    server_status        varchar(64),
    deleted              boolean      NOT NULL DEFAULT false,
    deleted_at           timestamptz,
    datastore_version_id varchar(36)  REFERENCES datastore_versions (id),
    configuration_id     varchar(36)  REFERENCES configurations (id),
    slave_of_id          varchar(36)  REFERENCES instances (id),
    cluster_id           varchar(36),
    shard_id             varchar(36),
    type                 varchar(64),
    region_id            varchar(255),
    encrypted_key        varchar(255),
    access               text,
    -- Coffer: when the current task must be over; the taskmanager's sweeper enforces it.
    task_deadline        timestamptz,
    -- Coffer: addresses of the server, JSON [{"address", "type", "network"}].
    addresses            text,
    volume_type          varchar(255),
    availability_zone    varchar(255),
    locality             varchar(32)
);
CREATE INDEX instances_tenant_idx ON instances (tenant_id, id) WHERE NOT deleted;
CREATE INDEX instances_deadline_idx ON instances (task_deadline) WHERE NOT deleted AND task_deadline IS NOT NULL;
CREATE INDEX instances_slave_of_idx ON instances (slave_of_id) WHERE NOT deleted;

CREATE TABLE service_statuses (
    id                 varchar(36) PRIMARY KEY,
    instance_id        varchar(36) NOT NULL UNIQUE,
    status_id          integer     NOT NULL,
    status_description varchar(64) NOT NULL,
    updated_at         timestamptz
);

CREATE TABLE instance_faults (
    id          varchar(64)  PRIMARY KEY,
    instance_id varchar(36)  NOT NULL REFERENCES instances (id),
    message     varchar(255) NOT NULL,
    details     text,
    created     timestamptz  NOT NULL,
    updated     timestamptz  NOT NULL,
    deleted     boolean      NOT NULL DEFAULT false,
    deleted_at  timestamptz
);
CREATE INDEX instance_faults_instance_idx ON instance_faults (instance_id, created DESC) WHERE NOT deleted;

CREATE TABLE backups (
    id                   varchar(36)   PRIMARY KEY,
    name                 varchar(255)  NOT NULL,
    description          varchar(512),
    location             varchar(1024),
    backup_type          varchar(32),
    size                 double precision,
    tenant_id            varchar(255)  NOT NULL,
    state                varchar(32)   NOT NULL,
    instance_id          varchar(36),
    checksum             varchar(128),
    backup_timestamp     timestamptz,
    deleted              boolean       NOT NULL DEFAULT false,
    created              timestamptz   NOT NULL,
    updated              timestamptz   NOT NULL,
    deleted_at           timestamptz,
    parent_id            varchar(36),
    datastore_version_id varchar(36)   REFERENCES datastore_versions (id)
);
CREATE INDEX backups_instance_idx ON backups (instance_id) WHERE NOT deleted;
CREATE INDEX backups_tenant_idx ON backups (tenant_id, updated DESC) WHERE NOT deleted;

CREATE TABLE quotas (
    id         varchar(36)  PRIMARY KEY,
    created    timestamptz  NOT NULL,
    updated    timestamptz  NOT NULL,
    tenant_id  varchar(255) NOT NULL,
    resource   varchar(255) NOT NULL,
    hard_limit integer      NOT NULL,
    CONSTRAINT quotas_unique UNIQUE (tenant_id, resource)
);

CREATE TABLE quota_usages (
    id        varchar(36)  PRIMARY KEY,
    created   timestamptz  NOT NULL,
    updated   timestamptz  NOT NULL,
    tenant_id varchar(255) NOT NULL,
    in_use    integer      NOT NULL DEFAULT 0,
    reserved  integer      NOT NULL DEFAULT 0,
    resource  varchar(255) NOT NULL,
    CONSTRAINT quota_usages_unique UNIQUE (tenant_id, resource)
);

CREATE TABLE reservations (
    id       varchar(36) PRIMARY KEY,
    created  timestamptz NOT NULL,
    updated  timestamptz NOT NULL,
    usage_id varchar(36) NOT NULL REFERENCES quota_usages (id),
    delta    integer     NOT NULL,
    status   varchar(36) NOT NULL
);

CREATE TABLE root_enabled_history (
    id      varchar(36)  PRIMARY KEY,
    "user"  varchar(255),
    created timestamptz  NOT NULL
);

-- Last accepted report per (instance, method): a report not newer than this is stale.
CREATE TABLE conductor_lastseen (
    instance_id varchar(36)      NOT NULL,
    method_name varchar(36)      NOT NULL,
    sent        double precision NOT NULL,
    PRIMARY KEY (instance_id, method_name)
);

-- Default flavors, shaped like Nova's classic m1 set.
INSERT INTO flavors (id, name, ram, vcpus, disk, ephemeral, swap, created, updated) VALUES
    ('1', 'm1.tiny',    512,   1,   1, 0, 0, now(), now()),
    ('2', 'm1.small',   2048,  1,  20, 0, 0, now(), now()),
    ('3', 'm1.medium',  4096,  2,  40, 0, 0, now(), now()),
    ('4', 'm1.large',   8192,  4,  80, 0, 0, now(), now()),
    ('5', 'm1.xlarge', 16384,  8, 160, 0, 0, now(), now());
