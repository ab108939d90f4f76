-- the platform's four tables and the order status type
SELECT count(*) = 4 FROM pg_tables WHERE schemaname = 'trading' AND tablename IN ('users', 'orders', 'fills', 'positions');
SELECT to_regtype('trading.order_status') IS NOT NULL;
