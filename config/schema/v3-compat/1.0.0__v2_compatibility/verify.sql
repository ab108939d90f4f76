SELECT count(*) = 3 FROM pg_tables WHERE schemaname = current_schema()
   AND tablename IN ('sltp_orders', 'bybit_trade_history', 'trading_sessions');
SELECT count(*) = 3 FROM information_schema.columns WHERE table_schema = current_schema()
   AND (table_name, column_name) IN (('orders', 'position_idx'), ('trades', 'ml_data'), ('signals', 'ml_predictions'));
