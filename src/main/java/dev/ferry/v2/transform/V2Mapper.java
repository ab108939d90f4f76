package dev.ferry.v2.transform;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The mapping of formats §3, one v2 row at a time: a trade becomes a v3 order (and a v3 trade
 * when it closed), a signal a v3 signal (inserted or, when the platform has it, enriched by the
 * writer), sltp_orders, bybit_trade_history and trading_sessions rows are copied. A value v3
 * cannot hold rejects the row with its column, value and reason; the rest of the page loads.
 */
public final class V2Mapper {

    public static final int V3_SYMBOL_LENGTH = 20;
    /** The columns an enrichment sets on the platform's own signal; the rest of that row stays the platform's. */
    public static final List<String> ENRICHED = List.of("indicators", "ml_predictions", "processing_time", "model_name", "score", "raw_data",
            "status", "error_message");

    private final V2Maps maps;
    private final ObjectMapper json;

    public V2Mapper(V2Maps maps, ObjectMapper json) {
        this.maps = maps;
        this.json = json;
    }

    public V2Maps maps() {
        return maps;
    }

    public Mapped map(String v2Table, Map<String, Object> row) {
        long id = ((Number) row.get("id")).longValue();
        long hash = ((Number) row.get("row_hash")).longValue();
        Mapped m = new Mapped(v2Table, id, hash);
        try {
            switch (v2Table) {
                case "trades" -> trade(row, m);
                case "signals" -> signal(row, m);
                case "sltp_orders" -> copy(row, m, "sltp_orders").put("v2_id", id);
                default -> copy(row, m, v2Table);
            }
        } catch (NotANumber e) {
            m.reject(e.column, e.value, e.getMessage());
        }
        return m;
    }

    private void trade(Map<String, Object> r, Mapped m) {
        long id = m.v2Id();
        String symbol = symbol(r, m);
        String side = V2Maps.lookup(maps.sides(), r.get("side"));
        if (side == null) {
            m.reject("side", r.get("side"), "side is not one of " + maps.sides().keySet() + " (config/mappings/v2.properties side.*)");
        }
        String status = V2Maps.lookup(maps.statuses(), r.get("status"));
        if (status == null) {
            m.reject("status", r.get("status"), "status is not one of " + maps.statuses().keySet() + " (config/mappings/v2.properties status.*)");
        }
        Double quantity = dbl(r, "quantity");
        if (quantity == null || !(quantity > 0)) {
            m.reject("quantity", quantity, "v3 orders.quantity must be a positive number");
        }
        Double entry = dbl(r, "entry_price");
        if (entry != null && !(entry > 0)) {
            m.reject("entry_price", entry, "a price must be positive");
        }
        Instant created = time(r, "created_at", m);
        if (created == null && !m.isRejected()) {
            m.reject("created_at", r.get("created_at"), "created_at is empty: the order's time is unknown");
        }
        Instant closed = time(r, "closed_at", m);
        if (m.isRejected()) {
            return;
        }
        String orderId = text(r.get("order_id"));
        if (orderId == null || orderId.isBlank()) {
            orderId = "v2-trade-" + id;
            m.warn("order_id", null, "no order id in v2: the v3 order is " + orderId);
        }
        boolean closedTrade = maps.closedStatus().equalsIgnoreCase(text(r.get("status")).strip());
        boolean filled = "FILLED".equals(status);
        Object mlData = mlData(r, m);
        String trader = r.get("user_id") == null ? null : r.get("user_id").toString();

        ObjectNode extra = json.createObjectNode();
        extra.put("v2_trade_id", id);
        putNumber(extra, "leverage", r.get("leverage"));
        putNumber(extra, "signal_id", r.get("signal_id"));
        putNumber(extra, "model_score", r.get("model_score"));
        putNumber(extra, "profit_probability", r.get("profit_probability"));
        putNumber(extra, "loss_probability", r.get("loss_probability"));
        putNumber(extra, "confidence", r.get("confidence"));
        extra.put("session_id", text(r.get("session_id")));
        extra.set("ml_data", mlData instanceof V3Row.Json j ? parse(j.text()) : mlData == null ? null : json.getNodeFactory().textNode((String) mlData));

        m.add(new V3Row("orders"))
                .put("exchange", maps.exchange()).put("symbol", symbol).put("order_id", orderId).put("side", side)
                .put("order_type", maps.orderType()).put("status", status).put("price", entry).put("quantity", quantity)
                .put("filled_quantity", filled ? quantity : 0.0).put("average_price", filled ? entry : null)
                .put("stop_loss", dbl(r, "stop_loss")).put("take_profit", dbl(r, "take_profit"))
                .put("created_at", created).put("updated_at", closed != null ? closed : created)
                .put("filled_at", filled ? closed : null).put("strategy_name", text(r.get("model_name"))).put("trader_id", trader)
                .put("extra_data", new V3Row.Json(extra.toString()));

        if (!closedTrade) {
            return;
        }
        if (closed == null) {
            m.warn("closed_at", null, "a closed trade without closed_at: its v3 order is FILLED, but no v3 trade is made");
            return;
        }
        Double closePrice = dbl(r, "close_price");
        Double price = closePrice != null ? closePrice : entry;
        if (price == null || !(price > 0)) {
            m.reject("close_price", closePrice, "v3 trades.price must be a positive number and neither close_price nor entry_price is");
            return;
        }
        String tradeId = text(r.get("close_order_id"));
        if (tradeId == null || tradeId.isBlank()) {
            tradeId = orderId + "_close";
        }
        Double fee = dbl(r, "close_fee");
        if (fee == null) {
            String closing = text(r.get("close_order_id"));
            m.warn("commission", null, closing == null ? "no close_order_id, so no bybit_trade_history fee: commission 0"
                    : "no bybit_trade_history row for the closing order " + closing + ": commission 0");
        }
        ObjectNode tradeExtra = json.createObjectNode();
        tradeExtra.put("v2_trade_id", id);
        m.add(new V3Row("trades"))
                .put("exchange", maps.exchange()).put("symbol", symbol).put("trade_id", tradeId).put("order_id", orderId).put("side", side)
                .put("price", price).put("quantity", quantity).put("commission", fee == null ? 0.0 : fee)
                .put("commission_asset", text(r.get("close_fee_currency"))).put("realized_pnl", dbl(r, "pnl"))
                .put("executed_at", closed).put("created_at", closed).put("strategy_name", text(r.get("model_name"))).put("trader_id", trader)
                .put("model_name", text(r.get("model_name"))).put("model_score", dbl(r, "model_score"))
                .put("profit_probability", dbl(r, "profit_probability")).put("loss_probability", dbl(r, "loss_probability"))
                .put("confidence", dbl(r, "confidence")).put("session_id", text(r.get("session_id")))
                .put("ml_data", text(r.get("ml_data"))).put("signal_id", integer(r, "signal_id")).put("user_id", integer(r, "user_id"))
                .put("extra_data", new V3Row.Json(tradeExtra.toString()));
    }

    private void signal(Map<String, Object> r, Mapped m) {
        String symbol = symbol(r, m);
        String type = V2Maps.lookup(maps.signalTypes(), r.get("signal_type"));
        if (type == null) {
            m.reject("signal_type", r.get("signal_type"), "signal_type is not one of " + maps.signalTypes().keySet());
        }
        Instant created = time(r, "created_at", m);
        if (created == null && !m.isRejected()) {
            m.reject("created_at", r.get("created_at"), "created_at is empty: the signal cannot be matched or placed");
        }
        Instant processed = time(r, "processed_at", m);
        if (m.isRejected()) {
            return;
        }
        ObjectNode extra = json.createObjectNode();
        extra.put("v2_signal_id", m.v2Id());
        String model = text(r.get("model_name"));
        m.add(new V3Row("signals"))
                .put("symbol", symbol).put("exchange", maps.exchange()).put("signal_type", type)
                .put("strategy_name", model == null || model.isBlank() ? maps.signalStrategyDefault() : model)
                .put("created_at", created)
                .put("indicators", jsonColumn(r, "indicators", m)).put("ml_predictions", jsonColumn(r, "predictions", m))
                .put("processing_time", processed == null ? null : Duration.between(created, processed).toNanos() / 1e9)
                .put("model_name", model).put("score", integer(r, "score")).put("raw_data", jsonColumn(r, "raw_data", m))
                .put("status", text(r.get("status"))).put("error_message", text(r.get("error_message")))
                .put("extra_data", new V3Row.Json(extra.toString()));
    }

    /** A table v3 has with v2's columns: every column but id, in v2's own text form. */
    private static V3Row copy(Map<String, Object> r, Mapped m, String table) {
        V3Row row = m.add(new V3Row(table));
        for (Map.Entry<String, Object> e : r.entrySet()) {
            String c = e.getKey();
            if (!c.equals("id") && !c.equals("row_hash")) {
                row.put(c, e.getValue() == null ? null : new V3Row.PgText(e.getValue().toString()));
            }
        }
        return row;
    }

    private String symbol(Map<String, Object> r, Mapped m) {
        String s = text(r.get("symbol"));
        if (s == null || s.isBlank()) {
            m.reject("symbol", s, "symbol is empty");
        } else if (s.length() > V3_SYMBOL_LENGTH) {
            m.reject("symbol", s, "longer than v3's varchar(" + V3_SYMBOL_LENGTH + ") (" + s.length() + " characters)");
        }
        return s;
    }

    private Instant time(Map<String, Object> r, String column, Mapped m) {
        String t = text(r.get(column));
        try {
            return TimeText.parse(t, maps.sourceZone());
        } catch (DateTimeParseException e) {
            m.reject(column, t, "not a time (expected e.g. 2024-03-01 12:00:00, 2024-03-01T12:00:00.123456 or 2024-03-01T12:00:00+00:00)");
            return null;
        }
    }

    /** ml_data parsed as JSON; text that is not JSON is kept as a string, with a warning. */
    private Object mlData(Map<String, Object> r, Mapped m) {
        String t = text(r.get("ml_data"));
        if (t == null) {
            return null;
        }
        JsonNode n = parse(t);
        if (n == null) {
            m.warn("ml_data", abbreviate(t), "not valid JSON: kept as a JSON string");
            return t;
        }
        return new V3Row.Json(n.toString());
    }

    private V3Row.Json jsonColumn(Map<String, Object> r, String column, Mapped m) {
        String t = text(r.get(column));
        if (t == null) {
            return null;
        }
        JsonNode n = parse(t);
        if (n == null) {
            m.warn(column, abbreviate(t), "not valid JSON: kept as a JSON string");
            return new V3Row.Json(json.getNodeFactory().textNode(t).toString());
        }
        return new V3Row.Json(n.toString());
    }

    private JsonNode parse(String t) {
        try {
            JsonNode n = json.readTree(t);
            return n == null || n.isMissingNode() ? null : n;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static void putNumber(ObjectNode o, String field, Object v) {
        if (v == null) {
            o.putNull(field);
        } else if (v instanceof Integer || v instanceof Long) {
            o.put(field, ((Number) v).longValue());
        } else {
            o.put(field, ((Number) v).doubleValue());
        }
    }

    static String text(Object v) {
        return v == null ? null : v.toString();
    }

    static Double dbl(Object v) {
        return v == null ? null : ((Number) v).doubleValue();
    }

    /**
     * A number column of the bot's schema. A v2 database whose column was changed to text still
     * loads the numbers it holds ("0.5"); anything else rejects the row naming the column, where a
     * cast would fail the whole pass with "String cannot be cast to Number".
     */
    static Double dbl(Map<String, Object> r, String column) {
        Object v = r.get(column);
        if (v == null || v instanceof Number) {
            return dbl(v);
        }
        try {
            double d = Double.parseDouble(v.toString().strip());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // said below, with the column
        }
        throw new NotANumber(column, v);
    }

    static Integer integer(Map<String, Object> r, String column) {
        Object v = r.get(column);
        if (v == null || v instanceof Number) {
            return v == null ? null : ((Number) v).intValue();
        }
        try {
            return Integer.valueOf(v.toString().strip());
        } catch (NumberFormatException e) {
            throw new NotANumber(column, v);
        }
    }

    /** A value where the bot's schema has a number column: the row is rejected with the column named. */
    private static final class NotANumber extends RuntimeException {
        final String column;
        final Object value;

        NotANumber(String column, Object value) {
            super(column + " is not a number: '" + abbreviate(String.valueOf(value)) + "' (a " + value.getClass().getSimpleName()
                    + " where v2's schema has a number column; was the column's type changed?)", null, false, false);
            this.column = column;
            this.value = value;
        }
    }

    private static String abbreviate(String t) {
        return t.length() <= 80 ? t : t.substring(0, 77) + "...";
    }
}
