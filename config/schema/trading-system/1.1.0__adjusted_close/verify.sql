-- the column, with the type the application maps
SELECT format_type(atttypid, atttypmod) = 'numeric(10,2)' FROM pg_attribute
 WHERE attrelid = 'prices'::regclass AND attname = 'adjusted_close' AND NOT attisdropped;
-- every bar that has a close has its adjusted close
SELECT NOT EXISTS (SELECT 1 FROM prices WHERE adjusted_close IS NULL AND close IS NOT NULL);
