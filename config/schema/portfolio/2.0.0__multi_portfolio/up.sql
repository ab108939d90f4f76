-- ferry:online
-- Phase 1 (2.0, multi-portfolio, transitional). Every statement commits on its own under
-- lock_timeout and is retried when it times out, so the running dashboard never waits behind
-- this change for longer than the lock timeout. The old application keeps working unchanged:
-- UNIQUE (symbol) stays, so its ON CONFLICT (symbol) still has its target, and the rows it
-- writes without a portfolio_id get one from the trigger below, never NULL.

-- portfolios, with a DEFAULT portfolio unless some already exist (then the oldest one is the default).
-- The comment marks the table as Ferry's, so the undo drops only a table this version made.
DO $$
BEGIN
    IF to_regclass('portfolios') IS NULL THEN
        CREATE TABLE portfolios (
            id           serial PRIMARY KEY,
            portfolio_id varchar(50) NOT NULL UNIQUE,
            name         varchar(200) NOT NULL,
            description  text,
            created_at   timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
            updated_at   timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP
        );
        COMMENT ON TABLE portfolios IS 'made by ferry portfolio 2.0';
    END IF;
END $$;
INSERT INTO portfolios (portfolio_id, name, description)
SELECT 'DEFAULT', 'Default portfolio', 'The single portfolio of schema 1.0'
 WHERE NOT EXISTS (SELECT 1 FROM portfolios);

CREATE OR REPLACE FUNCTION ferry_default_portfolio() RETURNS varchar
    LANGUAGE sql STABLE AS $$ SELECT portfolio_id FROM portfolios ORDER BY created_at, id LIMIT 1 $$;

-- A row written without a portfolio_id (the old application) gets its position's portfolio, or the default one
CREATE OR REPLACE FUNCTION ferry_portfolio_fill() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.portfolio_id IS NULL THEN
        IF TG_TABLE_NAME <> 'portfolio_positions' THEN
            NEW.portfolio_id := (SELECT p.portfolio_id FROM portfolio_positions p WHERE p.symbol = NEW.symbol
                                  ORDER BY p.portfolio_id = ferry_default_portfolio() DESC, p.id LIMIT 1);
        END IF;
        IF NEW.portfolio_id IS NULL THEN
            NEW.portfolio_id := ferry_default_portfolio();
        END IF;
    END IF;
    RETURN NEW;
END $$;

-- portfolio_id on each symbol table: the column, the trigger and the existing rows' value in one short
-- transaction per table. A constant default fills every existing row without rewriting the table
-- (PostgreSQL keeps it in the catalog); it is dropped at once so that later rows go through the trigger.
DO $$
BEGIN
    EXECUTE format('ALTER TABLE portfolio_positions ADD COLUMN portfolio_id varchar(50) DEFAULT %L', ferry_default_portfolio());
    ALTER TABLE portfolio_positions ALTER COLUMN portfolio_id DROP DEFAULT;
    CREATE TRIGGER ferry_portfolio_fill BEFORE INSERT ON portfolio_positions FOR EACH ROW EXECUTE FUNCTION ferry_portfolio_fill();
END $$;
DO $$
BEGIN
    EXECUTE format('ALTER TABLE trading_signals ADD COLUMN portfolio_id varchar(50) DEFAULT %L', ferry_default_portfolio());
    ALTER TABLE trading_signals ALTER COLUMN portfolio_id DROP DEFAULT;
    CREATE TRIGGER ferry_portfolio_fill BEFORE INSERT ON trading_signals FOR EACH ROW EXECUTE FUNCTION ferry_portfolio_fill();
END $$;
DO $$
BEGIN
    EXECUTE format('ALTER TABLE price_history ADD COLUMN portfolio_id varchar(50) DEFAULT %L', ferry_default_portfolio());
    ALTER TABLE price_history ALTER COLUMN portfolio_id DROP DEFAULT;
    CREATE TRIGGER ferry_portfolio_fill BEFORE INSERT ON price_history FOR EACH ROW EXECUTE FUNCTION ferry_portfolio_fill();
END $$;

-- Indexes, built without blocking writes. The unique (portfolio_id, symbol) is already true while
-- symbol is unique; it lets a portfolio-aware application write ON CONFLICT (portfolio_id, symbol)
-- from now on, so it can switch before phase 2.
CREATE UNIQUE INDEX CONCURRENTLY portfolio_positions_portfolio_symbol_key ON portfolio_positions (portfolio_id, symbol);
CREATE INDEX CONCURRENTLY idx_trading_signals_portfolio_symbol ON trading_signals (portfolio_id, symbol);
CREATE INDEX CONCURRENTLY idx_price_history_portfolio_symbol ON price_history (portfolio_id, symbol);

CREATE VIEW portfolio_summary AS
SELECT pf.portfolio_id,
       pf.name,
       count(pp.id)                                      AS positions,
       coalesce(sum(pp.quantity * pp.avg_cost), 0)       AS cost_basis,
       coalesce(sum(pp.market_value), 0)                 AS market_value,
       coalesce(sum(pp.unrealized_pnl), 0)               AS unrealized_pnl,
       max(pp.last_updated)                              AS last_updated
  FROM portfolios pf
  LEFT JOIN portfolio_positions pp ON pp.portfolio_id = pf.portfolio_id
 GROUP BY pf.portfolio_id, pf.name;
