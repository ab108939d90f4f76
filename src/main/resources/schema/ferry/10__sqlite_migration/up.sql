-- The SQLite migration's bookkeeping. Per run and source table: where the target is, whether
-- Ferry created it (a rollback then drops it), the checkpoint (committed with each batch, so a
-- resumed run continues after it), and the counts. Rows it rejected, with their reason. And, for
-- tables it did not create, every row it inserted and the before-image of every row it
-- overwrote, so that a rollback returns those tables to their exact pre-run state.
CREATE TABLE ferry.sqlite_tables (
    run_id        bigint  NOT NULL REFERENCES ferry.runs (id),
    source_table  text    NOT NULL,
    target_schema text    NOT NULL,
    target_table  text    NOT NULL,
    created       boolean NOT NULL,
    strategy      text    NOT NULL CHECK (strategy IN ('skip', 'update', 'fail')),
    status        text    NOT NULL CHECK (status IN ('loading', 'loaded', 'failed')),
    source_rows   bigint  NOT NULL DEFAULT 0,
    -- a big table is read in rowid ranges in parallel: segment i covers rowids up to segment_ends[i], and
    -- every row of it up to checkpoints[i] is committed (for a table without rowid: one segment, a row count)
    segment_ends  bigint[] NOT NULL,
    checkpoints   bigint[] NOT NULL,
    -- an incremental sync's high-water mark of the table's watermark column, as text
    watermark     text,
    rows_read     bigint  NOT NULL DEFAULT 0,
    loaded        bigint  NOT NULL DEFAULT 0,
    updated       bigint  NOT NULL DEFAULT 0,
    skipped       bigint  NOT NULL DEFAULT 0,
    rejected      bigint  NOT NULL DEFAULT 0,
    seconds       double precision NOT NULL DEFAULT 0,
    -- the validation's source side, summed batch by batch as the rows are read: rows and checksum of
    -- the committed rows (what a table the run created must hold)
    source_count  bigint  NOT NULL DEFAULT 0,
    source_sum    numeric NOT NULL DEFAULT 0,
    message       text,
    PRIMARY KEY (run_id, source_table)
);
CREATE INDEX sqlite_tables_target_idx ON ferry.sqlite_tables (target_schema, target_table);

CREATE TABLE ferry.sqlite_rejects (
    id           bigserial PRIMARY KEY,
    run_id       bigint NOT NULL REFERENCES ferry.runs (id),
    source_table text   NOT NULL,
    source_key   text,  -- the primary key's values, else rowid=N
    column_name  text,
    value        text,
    reason       text   NOT NULL
);
CREATE INDEX sqlite_rejects_run_idx ON ferry.sqlite_rejects (run_id, source_table);

CREATE TABLE ferry.sqlite_changes (
    id            bigserial PRIMARY KEY,
    run_id        bigint NOT NULL REFERENCES ferry.runs (id),
    target_schema text   NOT NULL,
    target_table  text   NOT NULL,
    action        text   NOT NULL CHECK (action IN ('insert', 'update')),
    -- the row's key values as a JSON array; for a table without key, the whole row
    key           jsonb  NOT NULL,
    before        jsonb  -- the row as it was, for 'update'
);
CREATE INDEX sqlite_changes_run_idx ON ferry.sqlite_changes (run_id, target_schema, target_table);
