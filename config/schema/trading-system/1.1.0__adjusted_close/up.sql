-- 1.1.0: prices.adjusted_close (the guide's first change). Only the column here: adding a nullable
-- column without a default changes the catalog only, so the lock is held for an instant. Its values
-- come from backfill.properties, in committed batches after this commits, so the application's
-- writes to prices never wait on one long UPDATE.
ALTER TABLE prices ADD COLUMN adjusted_close numeric(10, 2);
