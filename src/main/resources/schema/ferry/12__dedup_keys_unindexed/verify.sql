SELECT NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'record_keys_pkey' AND conrelid = 'ferry.record_keys'::regclass)
   AND EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = 'ferry' AND indexname = 'record_keys_user_run_idx');
