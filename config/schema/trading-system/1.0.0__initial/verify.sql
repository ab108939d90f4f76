-- all seven tables are there
SELECT count(*) = 7 FROM pg_tables
 WHERE schemaname = 'public'
   AND tablename IN ('prices', 'articles', 'sentiment_scores', 'events', 'trading_signals', 'orders', 'backtest_results');
-- the keys the application relies on: one price per symbol and time, one order per order_id
SELECT count(*) = 2 FROM pg_constraint WHERE conname IN ('prices_symbol_timestamp_key', 'orders_order_id_key') AND contype = 'u';
-- a backtest always has its equity curve
SELECT attnotnull FROM pg_attribute WHERE attrelid = 'backtest_results'::regclass AND attname = 'equity_curve';
