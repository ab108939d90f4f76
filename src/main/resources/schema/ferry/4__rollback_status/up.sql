-- A run can be rolled back, and a rollback is a run of its own (flow 'rollback').
ALTER TABLE ferry.runs DROP CONSTRAINT runs_status_check;
ALTER TABLE ferry.runs ADD CONSTRAINT runs_status_check CHECK (status IN ('running', 'completed', 'completed_with_rejects',
    'duplicate_file', 'refused', 'invalid', 'failed', 'aborted', 'rolled_back'));
