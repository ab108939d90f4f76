-- Undo of 1.0.0: the seven tables, children before the tables they reference
DROP TABLE backtest_results;
DROP TABLE orders;
DROP TABLE trading_signals;
DROP TABLE events;
DROP TABLE sentiment_scores;
DROP TABLE articles;
DROP TABLE prices;
