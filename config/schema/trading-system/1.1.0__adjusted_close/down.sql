-- Undo of 1.1.0 (the backfilled values go with the column)
ALTER TABLE prices DROP COLUMN adjusted_close;
