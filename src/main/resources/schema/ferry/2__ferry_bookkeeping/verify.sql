-- Ferry's runs ledger and its dedup, reject and duplicate records
SELECT count(*) = 5 FROM pg_tables WHERE schemaname = 'ferry' AND tablename IN ('runs', 'processed_files', 'record_keys', 'rejects', 'duplicates');
