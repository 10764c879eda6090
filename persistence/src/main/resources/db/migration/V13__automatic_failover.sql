-- Automatic failover (a Coffer extension): the instance's own choice (null: the operator's
-- default), and whether a failover fenced it (its database stays down until it rejoins as a
-- replica).
ALTER TABLE instances ADD COLUMN auto_failover boolean;
ALTER TABLE instances ADD COLUMN fenced boolean NOT NULL DEFAULT false;
