-- The platform's schema, as formats.md §2 fixes it, plus Ferry's lineage columns
-- (ferry_run_id, ferry_record) so that a rollback can remove exactly one run's rows.
CREATE SCHEMA IF NOT EXISTS trading;

CREATE TABLE trading.users (
    id         bigint PRIMARY KEY,
    email      text UNIQUE,
    name       text,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TYPE trading.order_status AS ENUM ('amo', 'pending', 'ongoing', 'closed', 'failed', 'cancelled');

CREATE TABLE trading.orders (
    id              bigserial PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES trading.users (id),
    symbol          text NOT NULL,
    side            text NOT NULL CHECK (side IN ('buy', 'sell')),
    order_type      text NOT NULL CHECK (order_type = lower(order_type)),
    quantity        numeric NOT NULL CHECK (quantity > 0),
    price           numeric,
    avg_price       numeric,
    status          trading.order_status NOT NULL,
    placed_at       timestamptz NOT NULL,
    filled_at       timestamptz,
    closed_at       timestamptz,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    orig_source     text NOT NULL,
    order_id        text,
    broker_order_id text,
    metadata        jsonb,
    ferry_run_id    bigint,
    ferry_record    integer
);
CREATE INDEX orders_user_broker_idx ON trading.orders (user_id, broker_order_id) WHERE broker_order_id IS NOT NULL;

CREATE TABLE trading.fills (
    id           bigserial PRIMARY KEY,
    order_id     bigint NOT NULL REFERENCES trading.orders (id),
    user_id      bigint NOT NULL REFERENCES trading.users (id),
    quantity     numeric NOT NULL,
    price        numeric NOT NULL,
    fill_value   numeric NOT NULL,
    charges      numeric NOT NULL DEFAULT 0,
    filled_at    timestamptz NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    metadata     jsonb,
    ferry_run_id bigint
);
CREATE INDEX fills_order_idx ON trading.fills (order_id);

CREATE TABLE trading.positions (
    id             bigserial PRIMARY KEY,
    user_id        bigint NOT NULL REFERENCES trading.users (id),
    symbol         text NOT NULL,
    quantity       numeric NOT NULL,
    avg_price      numeric NOT NULL,
    unrealized_pnl numeric NOT NULL DEFAULT 0,
    opened_at      timestamptz NOT NULL,
    closed_at      timestamptz,
    metadata       jsonb,
    ferry_run_id   bigint
);
