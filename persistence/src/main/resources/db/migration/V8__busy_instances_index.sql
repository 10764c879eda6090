-- Instances with a task running (the few, among many idle ones): the build watcher looks for
-- builds whose guest reported several times a second.
CREATE INDEX instances_task_idx ON instances (task_id) WHERE NOT deleted AND task_id <> 1;
