-- Undo of 10: removes the SQLite migration's bookkeeping (the tables it loaded stay where they are).
DROP TABLE IF EXISTS ferry.sqlite_changes, ferry.sqlite_rejects, ferry.sqlite_tables;
