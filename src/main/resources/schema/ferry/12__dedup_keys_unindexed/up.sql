-- The dedup keys lose their primary key. Keys arrive in the file's order, not the key's, so every
-- one was a random insert into a btree: 7 of the 10 s a 1 M-trade import spent on its 2 M keys
-- (a 4-byte hash as the key instead cost as much). Uniqueness was never the index's to give: each load holds its user's
-- advisory lock and checks every key against all of that user's keys before it writes one, so a
-- key is written once. The keys are read by run (record_keys_run_idx, kept) and a user's runs are
-- found through runs_user_idx.
-- A user's keys are then read through the user's runs, so every key must name a run of its own user.
DO $$
DECLARE
    stray record;
BEGIN
    SELECT k.user_id, k.kind, k.key, k.run_id INTO stray FROM ferry.record_keys k
    LEFT JOIN ferry.runs r ON r.id = k.run_id WHERE r.user_id IS DISTINCT FROM k.user_id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ferry.record_keys: key % of user % names run %, which is not a run of that user', stray.kind || '|' || stray.key,
            stray.user_id, stray.run_id;
    END IF;
END $$;
ALTER TABLE ferry.record_keys DROP CONSTRAINT record_keys_pkey;
CREATE INDEX runs_user_idx ON ferry.runs (user_id, id);
