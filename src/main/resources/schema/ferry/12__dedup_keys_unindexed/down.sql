-- Undo of 12: the primary key back (it fails, naming a key, if the same key was written twice).
DROP INDEX IF EXISTS ferry.runs_user_idx;
ALTER TABLE ferry.record_keys ADD CONSTRAINT record_keys_pkey PRIMARY KEY (user_id, kind, key);
