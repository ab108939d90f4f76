SELECT count(*) = 2 FROM pg_indexes WHERE schemaname = 'ferry' AND indexname IN ('runs_running_idx', 'runs_flow_file_idx');
