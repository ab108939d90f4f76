-- The v3 platform's base schema (formats §3), for a fresh platform only (ferry v2 migrate --create-v3).
-- Enum labels are upper case exactly as the platform's database has them.
CREATE TYPE orderside AS ENUM ('BUY', 'SELL');
CREATE TYPE ordertype AS ENUM ('MARKET', 'LIMIT', 'STOP_LOSS', 'TAKE_PROFIT', 'STOP_LIMIT');
CREATE TYPE orderstatus AS ENUM ('PENDING', 'OPEN', 'FILLED', 'PARTIALLY_FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED');
CREATE TYPE signaltype AS ENUM ('LONG', 'SHORT', 'CLOSE_LONG', 'CLOSE_SHORT', 'NEUTRAL');

CREATE TABLE orders (
    id              serial PRIMARY KEY,
    exchange        varchar(50)  NOT NULL,
    symbol          varchar(20)  NOT NULL,
    order_id        varchar(100) NOT NULL UNIQUE,
    side            orderside    NOT NULL,
    order_type      ordertype    NOT NULL,
    status          orderstatus  NOT NULL,
    price           float8,
    quantity        float8       NOT NULL,
    filled_quantity float8,
    average_price   float8,
    stop_loss       float8,
    take_profit     float8,
    created_at      timestamptz,
    updated_at      timestamptz,
    filled_at       timestamptz,
    strategy_name   varchar(100),
    trader_id       varchar(100),
    extra_data      json,
    order_metadata  json
);

CREATE TABLE trades (
    id               serial PRIMARY KEY,
    exchange         varchar(50)  NOT NULL,
    symbol           varchar(20)  NOT NULL,
    trade_id         varchar(100) NOT NULL UNIQUE,
    order_id         varchar(100) NOT NULL,
    side             orderside    NOT NULL,
    price            float8       NOT NULL,
    quantity         float8       NOT NULL,
    commission       float8,
    commission_asset varchar(20),
    realized_pnl     float8,
    executed_at      timestamptz  NOT NULL,
    created_at       timestamptz,
    strategy_name    varchar(100),
    trader_id        varchar(100)
);

CREATE TABLE signals (
    id                    serial PRIMARY KEY,
    symbol                varchar(20)  NOT NULL,
    exchange              varchar(50)  NOT NULL,
    signal_type           signaltype   NOT NULL,
    strength              float8,
    confidence            float8,
    suggested_price       float8,
    suggested_quantity    float8,
    suggested_stop_loss   float8,
    suggested_take_profit float8,
    strategy_name         varchar(100) NOT NULL,
    timeframe             varchar(10),
    created_at            timestamptz,
    expires_at            timestamptz,
    indicators            json,
    extra_data            json
);

CREATE TABLE balances (
    id          serial PRIMARY KEY,
    exchange    varchar(50) NOT NULL,
    asset       varchar(20) NOT NULL,
    free        float8 NOT NULL DEFAULT 0,
    locked      float8 NOT NULL DEFAULT 0,
    total       float8 NOT NULL DEFAULT 0,
    trader_id   varchar(100),
    updated_at  timestamptz
);

CREATE TABLE performance (
    id             serial PRIMARY KEY,
    strategy_name  varchar(100) NOT NULL,
    period_start   timestamptz NOT NULL,
    period_end     timestamptz NOT NULL,
    total_trades   integer,
    winning_trades integer,
    total_pnl      float8,
    max_drawdown   float8,
    sharpe_ratio   float8,
    trader_id      varchar(100)
);
