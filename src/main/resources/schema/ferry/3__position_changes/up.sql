-- What each run did to trading.positions, so a rollback can restore a position to what it
-- was before the run (an update) or remove it (an insert), not merely delete it.
CREATE TABLE ferry.position_changes (
    run_id      bigint NOT NULL REFERENCES ferry.runs (id),
    position_id bigint NOT NULL,
    action      text   NOT NULL CHECK (action IN ('insert', 'update')),
    before      jsonb,
    PRIMARY KEY (run_id, position_id)
);
