SELECT count(*) = 6 FROM pg_tables WHERE schemaname = 'ferry_v2'
   AND tablename IN ('source_rows', 'written', 'changes', 'pages', 'rejects', 'state');
