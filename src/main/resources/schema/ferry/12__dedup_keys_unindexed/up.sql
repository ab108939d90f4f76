-- The dedup keys lose their primary key. Keys arrive in the file's order, not the key's, so every
-- one was a random insert into a btree: 7 of the 10 s a 1 M-trade import spent on its 2 M keys
-- (a 4-byte hash as the key instead cost as much). Uniqueness was never the index's to give: each
-- load holds its user's advisory lock and checks every key against all of that user's keys before
-- it writes one, so a key is written once. What remains is an index in the order keys are written
-- (a load's user and run are fixed, its record numbers rise): a user's keys, a run's keys, and the
-- validation's walk through a file's runs in record order all read it.
-- A rollback finds a run's keys by the run's user, so every key must name a run of its own user.
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
DROP INDEX ferry.record_keys_run_idx;
CREATE INDEX record_keys_user_run_idx ON ferry.record_keys (user_id, run_id, record_no);
