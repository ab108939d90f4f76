-- ferry:online
-- Undo of phase 1, back to 1.0. `ferry portfolio rollback` first merges every portfolio into
-- the default one; this then removes what 2.0 added, each statement on its own under lock_timeout.
DROP VIEW IF EXISTS portfolio_summary;
DROP INDEX CONCURRENTLY IF EXISTS idx_price_history_portfolio_symbol;
DROP INDEX CONCURRENTLY IF EXISTS idx_trading_signals_portfolio_symbol;
DROP INDEX CONCURRENTLY IF EXISTS portfolio_positions_portfolio_symbol_key;
DO $$
BEGIN
    DROP TRIGGER IF EXISTS ferry_portfolio_fill ON price_history;
    ALTER TABLE price_history DROP COLUMN IF EXISTS portfolio_id;
END $$;
DO $$
BEGIN
    DROP TRIGGER IF EXISTS ferry_portfolio_fill ON trading_signals;
    ALTER TABLE trading_signals DROP COLUMN IF EXISTS portfolio_id;
END $$;
DO $$
BEGIN
    DROP TRIGGER IF EXISTS ferry_portfolio_fill ON portfolio_positions;
    ALTER TABLE portfolio_positions DROP COLUMN IF EXISTS portfolio_id;
END $$;
DROP FUNCTION IF EXISTS ferry_portfolio_fill();
DROP FUNCTION IF EXISTS ferry_default_portfolio();
-- portfolios goes only when 2.0 made it; a table that was there before stays
DO $$
BEGIN
    IF to_regclass('portfolios') IS NOT NULL AND obj_description('portfolios'::regclass, 'pg_class') = 'made by ferry portfolio 2.0' THEN
        DROP TABLE portfolios;
    END IF;
END $$;
