-- Lookups Ferry makes as runs start, kept from reading every run ever recorded (a service that
-- takes a small file a minute has half a million runs after a year): the runs still marked running
-- (the stale-run check before each bot file), and a file's latest runs by flow (a SQLite file's
-- interrupted run, the validation's runs of a file).
CREATE INDEX runs_running_idx ON ferry.runs (id) WHERE status = 'running';
CREATE INDEX runs_flow_file_idx ON ferry.runs (flow, source_file, id);
