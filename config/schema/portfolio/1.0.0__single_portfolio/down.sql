-- Undo of 1.0: the dashboard's tables, children before the tables they reference
DROP TABLE portfolio_value_history;
DROP TABLE portfolio_analyses;
DROP TABLE price_history;
DROP TABLE trading_signals;
DROP TABLE portfolio_positions;
