-- Why a backup ended FAILED (reported by the guest, or set by the taskmanager when the backup
-- missed its deadline or its guest fell silent). Trove keeps no reason; Coffer shows it as
-- "fail_reason" on failed backups.
ALTER TABLE backups ADD COLUMN fail_reason varchar(512);
