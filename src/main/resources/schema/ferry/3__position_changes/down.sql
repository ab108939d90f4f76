-- Undo of 3.
DROP TABLE IF EXISTS ferry.position_changes;
