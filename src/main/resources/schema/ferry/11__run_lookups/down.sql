-- Undo of 11: the lookups read the table again (the runs themselves are untouched).
DROP INDEX IF EXISTS ferry.runs_running_idx, ferry.runs_flow_file_idx;
