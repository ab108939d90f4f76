-- The bot's migration guide, §3.1 - 3.4 (seeds/001), as the reference time for `ferry v2`: its SQL
-- against v2's tables imported as v2_trades, v2_sltp_orders and v2_signals into the v3 database
-- (after the v2 compatibility change). Changed only where it would not run at all:
--   * enum labels in v3's upper case ('BUY'::orderside, 'MARKET'::ordertype, 'OPEN'::orderstatus ...);
--   * 3.3 names its columns (SELECT * would hand v2's id to trade_id) and points trade_id at the v3
--     order made from the v2 trade, found by orders.extra_data->>'v2_trade_id';
--   * 3.4 casts indicators ::json, the type of v3 signals.indicators.
-- Its defects stay on purpose (trades without order_id are lost, commission is 0, unknown statuses
-- become REJECTED, v2 signals without a v3 one are lost, ...): this is what the guide does, not a
-- correct migration. Its text-to-time casts fail on an unparseable time, so it runs over a v2
-- database generated without quirks. Run in one transaction (psql -1).

-- 3.1 Migrate v2 Trades to v3 Orders
INSERT INTO orders (
    exchange,
    symbol,
    order_id,
    side,
    order_type,
    status,
    price,
    quantity,
    filled_quantity,
    stop_loss,
    take_profit,
    created_at,
    updated_at,
    strategy_name,
    trader_id,
    extra_data
)
SELECT
    'bybit' as exchange,
    symbol,
    order_id,
    CASE
        WHEN side = 'Buy' THEN 'BUY'::orderside
        WHEN side = 'Sell' THEN 'SELL'::orderside
    END as side,
    'MARKET'::ordertype as order_type,
    CASE
        WHEN status = 'OPEN' THEN 'OPEN'::orderstatus
        WHEN status = 'CLOSE' THEN 'FILLED'::orderstatus
        WHEN status = 'CANCELED' THEN 'CANCELLED'::orderstatus
        ELSE 'REJECTED'::orderstatus
    END as status,
    entry_price as price,
    quantity,
    CASE
        WHEN status = 'CLOSE' THEN quantity
        ELSE 0
    END as filled_quantity,
    stop_loss,
    take_profit,
    created_at::timestamp with time zone,
    COALESCE(closed_at, created_at)::timestamp with time zone as updated_at,
    model_name as strategy_name,
    NULL as trader_id,
    jsonb_build_object(
        'v2_trade_id', id,
        'leverage', leverage,
        'signal_id', signal_id,
        'model_score', model_score,
        'ml_data', ml_data
    ) as extra_data
FROM v2_trades
WHERE order_id IS NOT NULL;

-- 3.2 Create Trades for Closed Positions
INSERT INTO trades (
    exchange,
    symbol,
    trade_id,
    order_id,
    side,
    price,
    quantity,
    commission,
    realized_pnl,
    executed_at,
    created_at,
    strategy_name,
    trader_id
)
SELECT
    'bybit' as exchange,
    symbol,
    COALESCE(close_order_id, order_id || '_close') as trade_id,
    order_id,
    CASE
        WHEN side = 'Buy' THEN 'BUY'::orderside
        WHEN side = 'Sell' THEN 'SELL'::orderside
    END as side,
    COALESCE(close_price, entry_price) as price,
    quantity,
    0 as commission,
    pnl as realized_pnl,
    closed_at::timestamp with time zone as executed_at,
    NOW() as created_at,
    model_name as strategy_name,
    NULL as trader_id
FROM v2_trades
WHERE status = 'CLOSE' AND closed_at IS NOT NULL;

-- 3.3 Migrate SLTP Orders
INSERT INTO sltp_orders (
    trade_id,
    symbol,
    side,
    stop_loss_price,
    take_profit_price,
    sl_order_id,
    tp_order_id,
    status,
    created_at,
    updated_at,
    attempts,
    sl_trigger_by,
    tp_trigger_by,
    trailing_stop,
    trailing_stop_price,
    trailing_stop_activation_price,
    trailing_callback,
    is_breakeven,
    partial_close_ratio,
    partial_close_trigger,
    original_stop_loss,
    original_take_profit,
    error_message,
    extra_data
)
SELECT
    o.id,
    s.symbol,
    s.side,
    s.stop_loss_price,
    s.take_profit_price,
    s.sl_order_id,
    s.tp_order_id,
    s.status,
    s.created_at,
    s.updated_at,
    s.attempts,
    s.sl_trigger_by,
    s.tp_trigger_by,
    s.trailing_stop,
    s.trailing_stop_price,
    s.trailing_stop_activation_price,
    s.trailing_callback,
    s.is_breakeven,
    s.partial_close_ratio,
    s.partial_close_trigger,
    s.original_stop_loss,
    s.original_take_profit,
    s.error_message,
    s.extra_data
FROM v2_sltp_orders s
JOIN orders o ON o.extra_data->>'v2_trade_id' = s.trade_id::text;

-- 3.4 Migrate Signals
UPDATE signals s
SET
    indicators = v2s.indicators::json,
    ml_predictions = v2s.predictions::jsonb,
    processing_time = EXTRACT(EPOCH FROM (v2s.processed_at::timestamp - v2s.created_at::timestamp)),
    extra_data = jsonb_build_object(
        'v2_signal_id', v2s.id,
        'model_name', v2s.model_name,
        'score', v2s.score,
        'raw_data', v2s.raw_data,
        'status', v2s.status,
        'error_message', v2s.error_message
    )
FROM v2_signals v2s
WHERE s.created_at = v2s.created_at::timestamp with time zone
  AND s.symbol = v2s.symbol;
