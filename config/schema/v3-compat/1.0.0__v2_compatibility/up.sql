-- The guide's §3-§4 compatibility change of v3: the columns v2 data needs, the v2-only tables,
-- the guide's indexes. Every column is nullable and every table new, so the platform's own
-- writers keep working while it is in place.
ALTER TABLE orders
    ADD COLUMN trigger_by varchar(50),
    ADD COLUMN sl_trigger_price float8,
    ADD COLUMN tp_trigger_price float8,
    ADD COLUMN sl_order_id varchar(100),
    ADD COLUMN tp_order_id varchar(100),
    ADD COLUMN is_sltp boolean,
    ADD COLUMN parent_order_id varchar(100),
    ADD COLUMN reduce_only boolean,
    ADD COLUMN time_in_force varchar(50),
    ADD COLUMN position_idx integer;

ALTER TABLE trades
    ADD COLUMN model_name varchar(100),
    ADD COLUMN model_score float8,
    ADD COLUMN profit_probability float8,
    ADD COLUMN loss_probability float8,
    ADD COLUMN confidence float8,
    ADD COLUMN session_id varchar(100),
    ADD COLUMN ml_data text,
    ADD COLUMN signal_id integer,
    ADD COLUMN user_id integer,
    ADD COLUMN extra_data jsonb;

ALTER TABLE signals
    ADD COLUMN ml_predictions jsonb,
    ADD COLUMN processing_time float8,
    ADD COLUMN model_name varchar(100),
    ADD COLUMN score integer,
    ADD COLUMN raw_data jsonb,
    ADD COLUMN status varchar(50),
    ADD COLUMN error_message text;

-- v3 has no trades-as-positions: a stop-loss/take-profit order belongs to the v3 order made from
-- its v2 trade. v2_id keeps the v2 row's id, since v3 draws its own.
CREATE TABLE sltp_orders (
    id serial PRIMARY KEY,
    v2_id integer UNIQUE,
    trade_id integer NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    symbol varchar(50) NOT NULL,
    side varchar(10) NOT NULL,
    stop_loss_price float8,
    take_profit_price float8,
    sl_order_id varchar(100),
    tp_order_id varchar(100),
    status varchar(50) DEFAULT 'pending',
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz DEFAULT now(),
    attempts integer DEFAULT 0,
    sl_trigger_by varchar(50) DEFAULT 'LastPrice',
    tp_trigger_by varchar(50) DEFAULT 'LastPrice',
    trailing_stop boolean DEFAULT false,
    trailing_stop_price float8,
    trailing_stop_activation_price float8,
    trailing_callback float8,
    is_breakeven boolean DEFAULT false,
    partial_close_ratio float8,
    partial_close_trigger float8,
    original_stop_loss float8,
    original_take_profit float8,
    error_message text,
    extra_data jsonb
);

CREATE TABLE bybit_trade_history (
    id serial PRIMARY KEY,
    symbol varchar(50) NOT NULL,
    order_id varchar(100) NOT NULL UNIQUE,
    order_link_id varchar(100),
    side varchar(10) NOT NULL,
    price float8 NOT NULL,
    qty float8 NOT NULL,
    fee float8 DEFAULT 0.0,
    fee_currency varchar(20),
    order_type varchar(50),
    stop_order_type varchar(50),
    created_time timestamp NOT NULL,
    updated_time timestamp,
    is_maker boolean DEFAULT false,
    reduce_only boolean DEFAULT false,
    close_on_trigger boolean DEFAULT false,
    cum_exec_qty float8,
    cum_exec_value float8,
    cum_exec_fee float8,
    trigger_price float8,
    trigger_by varchar(50),
    imported_at timestamp DEFAULT now()
);

CREATE TABLE trading_sessions (
    id serial PRIMARY KEY,
    session_id varchar(100) NOT NULL UNIQUE,
    started_at timestamp NOT NULL,
    ended_at timestamp,
    status varchar(50) DEFAULT 'active',
    total_trades integer DEFAULT 0,
    profitable_trades integer DEFAULT 0,
    total_pnl float8 DEFAULT 0.0,
    max_drawdown float8 DEFAULT 0.0,
    win_rate float8,
    config_snapshot jsonb,
    error_count integer DEFAULT 0,
    last_error text,
    metadata jsonb
);

-- The guide's indexes (its names; the unique constraints above already index the order and session ids)
CREATE INDEX idx_orders_session_id ON orders ((extra_data ->> 'v2_trade_id'));
CREATE INDEX idx_trades_session_id ON trades ((extra_data ->> 'v2_trade_id'));
CREATE INDEX idx_sltp_orders_trade_id ON sltp_orders (trade_id);
CREATE INDEX idx_sltp_orders_symbol ON sltp_orders (symbol);
CREATE INDEX idx_bybit_trade_symbol_time ON bybit_trade_history (symbol, created_time);
-- not the guide's: v2 signals are matched to the platform's by symbol and second, at every page of every sync
CREATE INDEX idx_signals_symbol_created_at ON signals (symbol, created_at);
