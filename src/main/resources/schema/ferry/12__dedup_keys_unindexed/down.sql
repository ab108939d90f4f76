-- Undo of 12: the primary key and the index by run back (the key fails, naming it, if a key was written twice).
DROP INDEX IF EXISTS ferry.record_keys_user_run_idx;
CREATE INDEX record_keys_run_idx ON ferry.record_keys (run_id);
ALTER TABLE ferry.record_keys ADD CONSTRAINT record_keys_pkey PRIMARY KEY (user_id, kind, key);
