-- Undo of 2: removes Ferry's bookkeeping tables, then its schema.
DROP TABLE IF EXISTS ferry.duplicates, ferry.rejects, ferry.record_keys, ferry.processed_files, ferry.runs;
-- an older Ferry's Flyway history goes too; the engine's own is in ferry_schema
DROP TABLE IF EXISTS ferry.flyway_schema_history;
DROP SCHEMA IF EXISTS ferry;
