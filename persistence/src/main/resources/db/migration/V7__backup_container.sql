-- The container a backup went to when it is not the storage's default one: the request's
-- swift_container or the project's (or instance's) backup strategy. Kept so that the data of a
-- backup that never completed (no location yet) can still be found and removed.
ALTER TABLE backups ADD COLUMN container varchar(255);
