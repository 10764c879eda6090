-- The kinds of volume the compute driver offers (Cinder's volume types on OpenStack; the local
-- driver's one kind), copied here by the taskmanager so the API can list and check them.
CREATE TABLE volume_types (
    id          varchar(255)  PRIMARY KEY,
    name        varchar(255)  NOT NULL,
    is_public   boolean       NOT NULL DEFAULT true,
    description varchar(1024),
    deleted     boolean       NOT NULL DEFAULT false,
    created     timestamptz   NOT NULL,
    updated     timestamptz   NOT NULL
);
CREATE INDEX volume_types_name_idx ON volume_types (name) WHERE NOT deleted;
