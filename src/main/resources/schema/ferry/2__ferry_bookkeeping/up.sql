-- Ferry's own schema; Flyway created it for earlier Ferry versions
CREATE SCHEMA IF NOT EXISTS ferry;

-- Ferry's own bookkeeping: runs, rejected records, skipped duplicates and dedup keys.

CREATE TABLE ferry.runs (
    id           bigserial PRIMARY KEY,
    flow         text NOT NULL,
    source_file  text,
    checksum     text,
    user_id      bigint,
    dry_run      boolean NOT NULL DEFAULT false,
    status       text NOT NULL CHECK (status IN ('running', 'completed', 'completed_with_rejects', 'duplicate_file',
                                                 'refused', 'invalid', 'failed', 'aborted')),
    started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    ended_at     timestamptz,
    records_read bigint NOT NULL DEFAULT 0,
    loaded       bigint NOT NULL DEFAULT 0,
    orders       bigint NOT NULL DEFAULT 0,
    fills        bigint NOT NULL DEFAULT 0,
    positions    bigint NOT NULL DEFAULT 0,
    duplicates   bigint NOT NULL DEFAULT 0,
    rejected     bigint NOT NULL DEFAULT 0,
    message      text,
    -- the PostgreSQL backend that holds the run's transaction: a 'running' run whose
    -- backend is gone was cut off (kill -9, power loss) and is marked 'aborted'
    backend_pid  integer
);
CREATE INDEX runs_checksum_idx ON ferry.runs (checksum);

-- One row per source file whose content has been loaded; written in the same
-- transaction as the rows, so a file is "seen" exactly when its rows are there.
CREATE TABLE ferry.processed_files (
    file_key     text PRIMARY KEY,
    run_id       bigint NOT NULL REFERENCES ferry.runs (id),
    source_file  text NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now()
);

-- Record-level dedup keys (formats.md), committed with the rows they guard.
CREATE TABLE ferry.record_keys (
    user_id   bigint NOT NULL,
    kind      text   NOT NULL,
    key       text   NOT NULL,
    run_id    bigint NOT NULL,
    record_no integer NOT NULL,
    PRIMARY KEY (user_id, kind, key)
);
CREATE INDEX record_keys_run_idx ON ferry.record_keys (run_id);

CREATE TABLE ferry.rejects (
    id          bigserial PRIMARY KEY,
    run_id      bigint NOT NULL REFERENCES ferry.runs (id),
    source_file text NOT NULL,
    record_no   integer NOT NULL,
    record_path text NOT NULL,
    line        integer,
    field       text,
    reason      text NOT NULL,
    raw         text  -- the record as read; text, not jsonb, because a record may hold what jsonb refuses (\u0000)
);
CREATE INDEX rejects_run_idx ON ferry.rejects (run_id);

CREATE TABLE ferry.duplicates (
    run_id          bigint NOT NULL REFERENCES ferry.runs (id),
    record_no       integer NOT NULL,
    record_path     text NOT NULL,
    kind            text NOT NULL,
    key             text NOT NULL,
    -- the record this one repeats; NULL when that first record was itself rejected after being seen
    -- (a transaction that matched no order, a failed order with no time to give it)
    first_run_id    bigint,
    first_record_no integer,
    PRIMARY KEY (run_id, record_no)
);
