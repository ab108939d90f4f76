-- ferry:online
-- Undo of phase 2, back to 2.0. UNIQUE (symbol) comes back first, so the old application's
-- ON CONFLICT (symbol) works again as early as possible; it can only be built once every symbol
-- is held once, which `ferry portfolio rollback` makes sure of by merging before it runs this.
DROP VIEW IF EXISTS portfolio_performance;
CREATE UNIQUE INDEX CONCURRENTLY portfolio_positions_symbol_key ON portfolio_positions (symbol);
ALTER TABLE portfolio_positions ADD CONSTRAINT portfolio_positions_symbol_key UNIQUE USING INDEX portfolio_positions_symbol_key;

ALTER TABLE trading_signals ADD CONSTRAINT trading_signals_symbol_fkey
    FOREIGN KEY (symbol) REFERENCES portfolio_positions (symbol) ON DELETE CASCADE NOT VALID;
ALTER TABLE trading_signals VALIDATE CONSTRAINT trading_signals_symbol_fkey;
ALTER TABLE price_history ADD CONSTRAINT price_history_symbol_fkey
    FOREIGN KEY (symbol) REFERENCES portfolio_positions (symbol) ON DELETE CASCADE NOT VALID;
ALTER TABLE price_history VALIDATE CONSTRAINT price_history_symbol_fkey;

ALTER TABLE price_history DROP CONSTRAINT price_history_position_fk;
ALTER TABLE trading_signals DROP CONSTRAINT trading_signals_position_fk;
ALTER TABLE portfolio_positions DROP CONSTRAINT portfolio_positions_portfolio_fk;

-- back to the plain unique index of 2.0 (a constraint cannot be detached from its index, so it is rebuilt)
CREATE UNIQUE INDEX CONCURRENTLY portfolio_positions_portfolio_symbol_2 ON portfolio_positions (portfolio_id, symbol);
ALTER TABLE portfolio_positions DROP CONSTRAINT portfolio_positions_portfolio_symbol_key;
ALTER INDEX portfolio_positions_portfolio_symbol_2 RENAME TO portfolio_positions_portfolio_symbol_key;

ALTER TABLE price_history ALTER COLUMN portfolio_id DROP NOT NULL;
ALTER TABLE trading_signals ALTER COLUMN portfolio_id DROP NOT NULL;
ALTER TABLE portfolio_positions ALTER COLUMN portfolio_id DROP NOT NULL;
