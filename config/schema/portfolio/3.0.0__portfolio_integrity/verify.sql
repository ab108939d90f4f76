-- portfolio_id is required on the three symbol tables
SELECT count(*) = 3 FROM pg_attribute
 WHERE attname = 'portfolio_id' AND attnotnull
   AND attrelid IN ('portfolio_positions'::regclass, 'trading_signals'::regclass, 'price_history'::regclass);
-- one position per (portfolio, symbol); the keys to portfolios and to positions, all validated
SELECT count(*) = 4 FROM pg_constraint
 WHERE convalidated AND conname IN ('portfolio_positions_portfolio_symbol_key', 'portfolio_positions_portfolio_fk',
                                    'trading_signals_position_fk', 'price_history_position_fk');
-- the single-portfolio keys are gone
SELECT NOT EXISTS (SELECT 1 FROM pg_constraint
                    WHERE conname IN ('portfolio_positions_symbol_key', 'trading_signals_symbol_fkey', 'price_history_symbol_fkey'));
SELECT to_regclass('portfolio_performance') IS NOT NULL;
