-- The dashboard's single-portfolio schema (version 1.0), as its init.sql makes it. A database
-- that already has it is recognised from the catalog and baselined: nothing here runs there.
CREATE TABLE portfolio_positions (
    id             serial PRIMARY KEY,
    symbol         varchar(10) NOT NULL UNIQUE,
    company_name   varchar(200),
    quantity       integer NOT NULL DEFAULT 0,
    avg_cost       numeric(10,3) NOT NULL DEFAULT 0,
    current_price  numeric(10,3) DEFAULT 0,
    market_value   numeric(12,2) GENERATED ALWAYS AS (quantity * current_price) STORED,
    unrealized_pnl numeric(12,2) GENERATED ALWAYS AS ((current_price - avg_cost) * quantity) STORED,
    sector         varchar(50),
    last_updated   timestamp DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE trading_signals (
    id              serial PRIMARY KEY,
    symbol          varchar(10) NOT NULL REFERENCES portfolio_positions (symbol) ON DELETE CASCADE,
    signal_type     varchar(1) CHECK (signal_type IN ('A', 'B', 'C', 'D')),
    signal_strength numeric(3,2),
    price           numeric(10,3) NOT NULL,
    volume          integer,
    rsi             numeric(5,2),
    ma_5            numeric(10,3),
    ma_20           numeric(10,3),
    ma_50           numeric(10,3),
    bollinger_upper numeric(10,3),
    bollinger_lower numeric(10,3),
    created_at      timestamp DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_trading_signals_symbol_created ON trading_signals (symbol, created_at);

CREATE TABLE price_history (
    id          serial PRIMARY KEY,
    symbol      varchar(10) NOT NULL REFERENCES portfolio_positions (symbol) ON DELETE CASCADE,
    price       numeric(10,3) NOT NULL,
    volume      bigint,
    high        numeric(10,3),
    low         numeric(10,3),
    open_price  numeric(10,3),
    close_price numeric(10,3),
    "timestamp" timestamp DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_price_history_symbol_timestamp ON price_history (symbol, "timestamp");

CREATE TABLE portfolio_analyses (
    id           serial PRIMARY KEY,
    name         varchar(200) NOT NULL,
    start_date   date NOT NULL,
    end_date     date NOT NULL,
    user_notes   text,
    start_pv     numeric(15,2),
    end_pv       numeric(15,2),
    total_return numeric(10,4),
    created_at   timestamp DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT portfolio_analyses_dates CHECK (end_date >= start_date),
    CONSTRAINT portfolio_analyses_span CHECK (end_date <= start_date + interval '18 months')
);

CREATE TABLE portfolio_value_history (
    id               serial PRIMARY KEY,
    analysis_id      integer NOT NULL REFERENCES portfolio_analyses (id) ON DELETE CASCADE,
    trade_date       date NOT NULL,
    total_value      numeric(15,2),
    daily_change     numeric(15,2),
    top_contributors jsonb,
    UNIQUE (analysis_id, trade_date)
);
