-- Undo of V3.
DROP TABLE IF EXISTS ferry.position_changes;
