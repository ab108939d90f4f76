-- Undo of 4: rolled-back runs fall back to 'completed' so the old constraint holds again.
UPDATE ferry.runs SET status = 'completed' WHERE status = 'rolled_back';
ALTER TABLE ferry.runs DROP CONSTRAINT runs_status_check;
ALTER TABLE ferry.runs ADD CONSTRAINT runs_status_check CHECK (status IN ('running', 'completed', 'completed_with_rejects',
    'duplicate_file', 'refused', 'invalid', 'failed', 'aborted'));
