-- Addresses the local compute driver gave out: one loopback address per instance, so every
-- database server listens on its datastore's standard port, as on a VM.
CREATE TABLE compute_addresses (
    address     varchar(64) PRIMARY KEY,
    instance_id varchar(36) NOT NULL UNIQUE,
    allocated   timestamptz NOT NULL
);
