-- Undo of 5.
ALTER TABLE trading.fills DROP COLUMN ferry_record;
