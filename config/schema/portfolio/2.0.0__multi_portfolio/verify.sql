-- portfolios with its default, and the summary view
SELECT to_regclass('portfolios') IS NOT NULL AND to_regclass('portfolio_summary') IS NOT NULL;
SELECT ferry_default_portfolio() IS NOT NULL;
-- portfolio_id on the three symbol tables, each with the trigger that fills it
SELECT count(*) = 3 FROM information_schema.columns
 WHERE table_schema = current_schema() AND column_name = 'portfolio_id'
   AND table_name IN ('portfolio_positions', 'trading_signals', 'price_history');
SELECT count(*) = 3 FROM pg_trigger WHERE tgname = 'ferry_portfolio_fill' AND NOT tgisinternal;
-- every row has its portfolio
SELECT NOT EXISTS (SELECT 1 FROM portfolio_positions WHERE portfolio_id IS NULL)
   AND NOT EXISTS (SELECT 1 FROM trading_signals WHERE portfolio_id IS NULL)
   AND NOT EXISTS (SELECT 1 FROM price_history WHERE portfolio_id IS NULL);
-- the indexes were built and are valid
SELECT count(*) = 3 FROM pg_index
 WHERE indisvalid AND indexrelid::regclass::text IN
       ('portfolio_positions_portfolio_symbol_key', 'idx_trading_signals_portfolio_symbol', 'idx_price_history_portfolio_symbol');
