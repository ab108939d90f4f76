package dev.ferry.v2.read;

import java.util.List;
import java.util.stream.Collectors;

import dev.ferry.core.db.Sql;

/**
 * One v2 table as the route reads it: by pages of ids, each row with a 64-bit hash of its whole
 * content (v2 has no updated_at, so a changed hash is how a change is seen), and per page a
 * digest of those hashes that tells an unchanged page without reading its rows.
 */
public record V2Table(String name, List<String> columns, boolean copied) {

    /** v2 tables in load order: a sltp order needs its trade's v3 order, a trade its closing fee. */
    public static final List<String> ORDER = List.of("trading_sessions", "bybit_trade_history", "trades", "sltp_orders", "signals");

    /** The columns the mapper reads from trades and signals; every other table is copied column by column. */
    public static final List<String> TRADE_COLUMNS = List.of("id", "symbol", "side", "status", "entry_price", "quantity", "stop_loss",
            "take_profit", "leverage", "order_id", "close_order_id", "close_price", "pnl", "created_at", "closed_at", "model_name",
            "model_score", "profit_probability", "loss_probability", "confidence", "session_id", "ml_data", "signal_id", "user_id");
    public static final List<String> SIGNAL_COLUMNS = List.of("id", "symbol", "signal_type", "created_at", "processed_at", "indicators",
            "predictions", "model_name", "score", "raw_data", "status", "error_message");

    /** The hash of a row: the first 64 bits of the md5 of its text; for a trade, with its closing fee. */
    public String hashExpression() {
        String text = name.equals("trades")
                ? "t::text || '|' || coalesce(h.fee::text, '') || '|' || coalesce(h.fee_currency, '')"
                : "t::text";
        return "('x' || left(md5(" + text + "), 16))::bit(64)::bigint";
    }

    private String from() {
        return name.equals("trades")
                ? "trades t LEFT JOIN bybit_trade_history h ON h.order_id = t.close_order_id"
                : name + " t";
    }

    /** One row per page of ids: its number, the digest of its rows' hashes in id order, and its row count. */
    public String digestQuery(int pageRows) {
        return "SELECT t.id / " + pageRows + " AS page, md5(string_agg((" + hashExpression() + ")::text, ',' ORDER BY t.id)) AS digest, "
                + "count(*) AS n FROM " + from() + " GROUP BY 1 ORDER BY 1";
    }

    /** The ids of [lo, hi) and their rows' hashes, without the rows. */
    public String hashQuery(long lo, long hi) {
        return "SELECT t.id, " + hashExpression() + " AS row_hash FROM " + from() + " WHERE t.id >= " + lo + " AND t.id < " + hi + " ORDER BY t.id";
    }

    /** The rows of the given ids, with their hashes. */
    public String rowsQuery(List<Long> ids) {
        return select() + " WHERE t.id = ANY('{" + ids.stream().map(String::valueOf).collect(Collectors.joining(",")) + "}'::bigint[]) ORDER BY t.id";
    }

    /** The rows of ids [lo, hi), with their hashes. */
    public String pageQuery(long lo, long hi) {
        return select() + " WHERE t.id >= " + lo + " AND t.id < " + hi + " ORDER BY t.id";
    }

    private String select() {
        String cols;
        if (copied) {
            cols = "t.id, " + columns.stream().filter(c -> !c.equals("id")).map(c -> "t." + Sql.ident(c) + "::text AS " + Sql.ident(c)).collect(Collectors.joining(", "));
        } else {
            cols = columns.stream().map(c -> "t." + Sql.ident(c)).collect(Collectors.joining(", "));
        }
        if (name.equals("trades")) {
            cols += ", h.fee AS close_fee, h.fee_currency AS close_fee_currency";
        }
        return "SELECT " + cols + ", " + hashExpression() + " AS row_hash FROM " + from();
    }
}
