-- A fill names the source record it came from, as an order does (ferry_record), so that
-- validation can compare each transaction with its own fill and not with a look-alike.
ALTER TABLE trading.fills ADD COLUMN ferry_record integer;
