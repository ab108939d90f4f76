-- ferry:online
-- Phase 2 (3.0, complete). `ferry portfolio phase2` refuses to start while a row would break it
-- (a NULL portfolio_id, an orphan). Nothing here scans a table under an exclusive lock: NOT NULL
-- comes through a CHECK validated first (PostgreSQL then skips SET NOT NULL's scan), and each
-- foreign key is added NOT VALID, then validated under a lock that lets writes go on.
-- After it, the old application's ON CONFLICT (symbol) has no target and fails.

ALTER TABLE portfolio_positions ADD CONSTRAINT portfolio_positions_portfolio_id_present CHECK (portfolio_id IS NOT NULL) NOT VALID;
ALTER TABLE portfolio_positions VALIDATE CONSTRAINT portfolio_positions_portfolio_id_present;
ALTER TABLE portfolio_positions ALTER COLUMN portfolio_id SET NOT NULL;
ALTER TABLE portfolio_positions DROP CONSTRAINT portfolio_positions_portfolio_id_present;

ALTER TABLE trading_signals ADD CONSTRAINT trading_signals_portfolio_id_present CHECK (portfolio_id IS NOT NULL) NOT VALID;
ALTER TABLE trading_signals VALIDATE CONSTRAINT trading_signals_portfolio_id_present;
ALTER TABLE trading_signals ALTER COLUMN portfolio_id SET NOT NULL;
ALTER TABLE trading_signals DROP CONSTRAINT trading_signals_portfolio_id_present;

ALTER TABLE price_history ADD CONSTRAINT price_history_portfolio_id_present CHECK (portfolio_id IS NOT NULL) NOT VALID;
ALTER TABLE price_history VALIDATE CONSTRAINT price_history_portfolio_id_present;
ALTER TABLE price_history ALTER COLUMN portfolio_id SET NOT NULL;
ALTER TABLE price_history DROP CONSTRAINT price_history_portfolio_id_present;

-- one position per symbol and portfolio, from the unique index phase 1 built
ALTER TABLE portfolio_positions ADD CONSTRAINT portfolio_positions_portfolio_symbol_key UNIQUE USING INDEX portfolio_positions_portfolio_symbol_key;

ALTER TABLE portfolio_positions ADD CONSTRAINT portfolio_positions_portfolio_fk
    FOREIGN KEY (portfolio_id) REFERENCES portfolios (portfolio_id) NOT VALID;
ALTER TABLE portfolio_positions VALIDATE CONSTRAINT portfolio_positions_portfolio_fk;

-- signals and prices belong to a position of their portfolio; they follow it when it moves
ALTER TABLE trading_signals ADD CONSTRAINT trading_signals_position_fk
    FOREIGN KEY (portfolio_id, symbol) REFERENCES portfolio_positions (portfolio_id, symbol) ON UPDATE CASCADE ON DELETE CASCADE NOT VALID;
ALTER TABLE trading_signals VALIDATE CONSTRAINT trading_signals_position_fk;
ALTER TABLE price_history ADD CONSTRAINT price_history_position_fk
    FOREIGN KEY (portfolio_id, symbol) REFERENCES portfolio_positions (portfolio_id, symbol) ON UPDATE CASCADE ON DELETE CASCADE NOT VALID;
ALTER TABLE price_history VALIDATE CONSTRAINT price_history_position_fk;

-- the single-portfolio keys go: a symbol may now be held in several portfolios
ALTER TABLE trading_signals DROP CONSTRAINT trading_signals_symbol_fkey;
ALTER TABLE price_history DROP CONSTRAINT price_history_symbol_fkey;
ALTER TABLE portfolio_positions DROP CONSTRAINT portfolio_positions_symbol_key;

-- phase 1's summary per portfolio, with its return and its signals
CREATE VIEW portfolio_performance AS
SELECT s.portfolio_id,
       s.name,
       s.positions,
       s.cost_basis,
       s.market_value,
       s.unrealized_pnl,
       CASE WHEN s.cost_basis = 0 THEN NULL ELSE round(s.unrealized_pnl / s.cost_basis * 100, 2) END AS return_pct,
       (SELECT count(*) FROM trading_signals ts WHERE ts.portfolio_id = s.portfolio_id) AS signals,
       s.last_updated
  FROM portfolio_summary s;
