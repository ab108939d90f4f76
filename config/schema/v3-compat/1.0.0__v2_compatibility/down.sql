-- Gives back v3 exactly as it was before the compatibility change (the engine's diff checks it).
DROP INDEX idx_signals_symbol_created_at;
DROP INDEX idx_trades_session_id;
DROP INDEX idx_orders_session_id;
DROP TABLE trading_sessions;
DROP TABLE bybit_trade_history;
DROP TABLE sltp_orders;
ALTER TABLE signals
    DROP COLUMN ml_predictions, DROP COLUMN processing_time, DROP COLUMN model_name, DROP COLUMN score,
    DROP COLUMN raw_data, DROP COLUMN status, DROP COLUMN error_message;
ALTER TABLE trades
    DROP COLUMN model_name, DROP COLUMN model_score, DROP COLUMN profit_probability, DROP COLUMN loss_probability,
    DROP COLUMN confidence, DROP COLUMN session_id, DROP COLUMN ml_data, DROP COLUMN signal_id, DROP COLUMN user_id,
    DROP COLUMN extra_data;
ALTER TABLE orders
    DROP COLUMN trigger_by, DROP COLUMN sl_trigger_price, DROP COLUMN tp_trigger_price, DROP COLUMN sl_order_id,
    DROP COLUMN tp_order_id, DROP COLUMN is_sltp, DROP COLUMN parent_order_id, DROP COLUMN reduce_only,
    DROP COLUMN time_in_force, DROP COLUMN position_idx;
