-- the five tables are there
SELECT count(*) = 5 FROM pg_tables
 WHERE schemaname = current_schema()
   AND tablename IN ('portfolio_positions', 'trading_signals', 'price_history', 'portfolio_analyses', 'portfolio_value_history');
-- positions are unique by symbol (by portfolio and symbol from 3.0 on): the application's upsert target
SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'portfolio_positions'::regclass AND contype = 'u'
                AND 'symbol' = ANY (SELECT attname FROM pg_attribute WHERE attrelid = conrelid AND attnum = ANY (conkey)));
-- the generated columns the dashboard reads
SELECT count(*) = 2 FROM pg_attribute
 WHERE attrelid = 'portfolio_positions'::regclass AND attname IN ('market_value', 'unrealized_pnl') AND attgenerated = 's';
