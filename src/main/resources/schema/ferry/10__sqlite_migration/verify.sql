SELECT count(*) = 3 FROM pg_tables WHERE schemaname = 'ferry' AND tablename IN ('sqlite_tables', 'sqlite_rejects', 'sqlite_changes');
