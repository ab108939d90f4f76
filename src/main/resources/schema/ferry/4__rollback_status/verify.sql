-- a run may be rolled_back
SELECT pg_get_constraintdef(oid) LIKE '%rolled_back%' FROM pg_constraint WHERE conname = 'runs_status_check' AND conrelid = 'ferry.runs'::regclass;
