-- Lives in the v3 database, not in Ferry's: a v3 row and the lineage that says where it came from
-- must commit in one transaction, or a crash between them duplicates or strands a row.
CREATE SCHEMA ferry_v2;

-- One row per v2 row Ferry has read: the hash of its content as of the last pass (v2 has no
-- updated_at, so a changed hash is how a change is seen) and whether it has gone from v2.
CREATE TABLE ferry_v2.source_rows (
    v2_table    text     NOT NULL,
    v2_id       bigint   NOT NULL,
    row_hash    bigint   NOT NULL,
    run_id      bigint   NOT NULL,
    outcome     text     NOT NULL CHECK (outcome IN ('loaded', 'rejected', 'ambiguous')),
    deleted     boolean  NOT NULL DEFAULT false,
    PRIMARY KEY (v2_table, v2_id)
);

-- Every v3 row Ferry wrote or enriched: which v2 row it came from, the run that last wrote it and
-- the md5 of its content as written, so a rollback can tell a row someone changed since.
CREATE TABLE ferry_v2.written (
    v3_table      text    NOT NULL,
    v3_id         bigint  NOT NULL,
    v2_table      text    NOT NULL,
    v2_id         bigint  NOT NULL,
    first_run     bigint  NOT NULL,
    run_id        bigint  NOT NULL,
    enriched      boolean NOT NULL DEFAULT false,
    content_md5   text,
    PRIMARY KEY (v3_table, v3_id)
);
CREATE INDEX written_source ON ferry_v2.written (v2_table, v2_id);
CREATE INDEX written_run ON ferry_v2.written (run_id);

-- The undo log of changes to rows that existed before the run: a sync's update of a row an earlier
-- run wrote, an enrichment of a signal the platform wrote, an applied delete. "before" is the whole
-- row as it was (json, not jsonb: json columns keep their exact text), restored by rollback.
CREATE TABLE ferry_v2.changes (
    id            bigserial PRIMARY KEY,
    run_id        bigint  NOT NULL,
    v3_table      text    NOT NULL,
    v3_id         bigint  NOT NULL,
    action        text    NOT NULL CHECK (action IN ('update', 'enrich', 'delete')),
    before        json    NOT NULL,
    before_run    bigint,
    before_md5    text,
    v2_table      text    NOT NULL,
    v2_id         bigint  NOT NULL,
    before_hash   bigint
);
CREATE INDEX changes_run ON ferry_v2.changes (run_id);

-- The page digests the last pass saw: a page of v2 ids whose digest is unchanged is skipped by
-- the idempotent consumer without reading its rows.
CREATE TABLE ferry_v2.pages (
    v2_table  text   NOT NULL,
    page      bigint NOT NULL,
    digest    text   NOT NULL,
    run_id    bigint NOT NULL,
    PRIMARY KEY (v2_table, page)
);

-- Rejected v2 rows and warnings, with table, v2 id, column, value and reason.
CREATE TABLE ferry_v2.rejects (
    id        bigserial PRIMARY KEY,
    run_id    bigint  NOT NULL,
    v2_table  text    NOT NULL,
    v2_id     bigint  NOT NULL,
    column_name text,
    value     text,
    reason    text    NOT NULL,
    warning   boolean NOT NULL DEFAULT false
);
CREATE INDEX rejects_run ON ferry_v2.rejects (run_id);

-- The migration's own state: the source it follows, and the cutover once it happened.
CREATE TABLE ferry_v2.state (
    key    text PRIMARY KEY,
    value  text NOT NULL,
    at     timestamptz NOT NULL DEFAULT now()
);
