-- Undo of V2: removes Ferry's bookkeeping tables (the schema stays: it holds Flyway's history).
DROP TABLE IF EXISTS ferry.duplicates, ferry.rejects, ferry.record_keys, ferry.processed_files, ferry.runs;
