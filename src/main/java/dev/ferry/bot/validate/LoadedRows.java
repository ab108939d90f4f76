package dev.ferry.bot.validate;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the database holds for one source file of one user: the runs that loaded it (and
 * those since rolled back), and, by source record number, the rows those runs wrote and the
 * rejections and duplicates they listed. Read once per file, so validation costs a few
 * queries per file, not per record.
 */
final class LoadedRows {

    record DbOrder(long id, long runId, int record, String symbol, String side, String orderType, BigDecimal quantity, BigDecimal price,
                   BigDecimal avgPrice, String status, Instant placedAt, Instant filledAt, Instant closedAt, String orderId,
                   String brokerOrderId, String origSource) {
    }

    record DbFill(long id, long runId, int record, long orderPk, String orderRef, BigDecimal quantity, BigDecimal price,
                  BigDecimal fillValue, BigDecimal charges, Instant filledAt) {
    }

    record DbPosition(long id, String symbol, BigDecimal quantity, BigDecimal avgPrice, BigDecimal unrealizedPnl, Long runId) {
    }

    final List<Long> runs;
    final List<Long> rolledBackRuns;
    /**
     * A record's dedup key (kind|key) to the run and record number that loaded it. Records are
     * found by key, not by position, so a file the bot rewrote in another order still matches.
     */
    final Map<String, long[]> loadedKeys = new HashMap<>();
    final Set<String> duplicateKeys = new HashSet<>();
    /** Rejections by the record's raw text, and by record number and path for those kept without it. */
    final Map<String, String> rejectsByRaw = new HashMap<>();
    final Map<String, String> rejectsByPlace = new HashMap<>();
    final Map<Long, List<DbOrder>> ordersByRecord = new LinkedHashMap<>();
    final Map<Long, List<DbFill>> fillsByRecord = new LinkedHashMap<>();
    final Map<Long, DbOrder> unclaimedOrders = new LinkedHashMap<>();
    final Map<Long, DbFill> unclaimedFills = new LinkedHashMap<>();

    private LoadedRows(List<Long> runs, List<Long> rolledBackRuns) {
        this.runs = runs;
        this.rolledBackRuns = rolledBackRuns;
    }

    static long recordKey(long runId, int record) {
        return runId << 24 ^ record;
    }

    static LoadedRows read(Connection c, long userId, String flow, String fileName) throws SQLException {
        LoadedRows rows = new LoadedRows(runs(c, userId, flow, fileName, "status IN ('completed', 'completed_with_rejects')"),
                runs(c, userId, flow, fileName, "status = 'rolled_back'"));
        if (rows.runs.isEmpty()) {
            return rows;
        }
        Array runIds = c.createArrayOf("bigint", rows.runs.toArray());
        query(c, "SELECT kind || '|' || key, run_id, record_no FROM ferry.record_keys WHERE user_id = ? AND run_id = ANY(?)",
                rs -> rows.loadedKeys.put(rs.getString(1), new long[] {rs.getLong(2), rs.getInt(3)}), userId, runIds);
        query(c, "SELECT raw, record_no || '|' || record_path, coalesce(field, '') || ': ' || reason FROM ferry.rejects WHERE run_id = ANY(?)",
                rs -> {
                    if (rs.getString(1) != null) {
                        rows.rejectsByRaw.put(rs.getString(1), rs.getString(3));
                    }
                    rows.rejectsByPlace.put(rs.getString(2), rs.getString(3));
                }, runIds);
        query(c, "SELECT kind || '|' || key FROM ferry.duplicates WHERE run_id = ANY(?)", rs -> rows.duplicateKeys.add(rs.getString(1)), runIds);
        query(c, """
                SELECT id, ferry_run_id, ferry_record, symbol, side, order_type, quantity, price, avg_price, status::text, placed_at,
                       filled_at, closed_at, order_id, broker_order_id, orig_source
                FROM trading.orders WHERE user_id = ? AND ferry_run_id = ANY(?) ORDER BY id""", rs -> {
            DbOrder o = new DbOrder(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getString(5), rs.getString(6),
                    rs.getBigDecimal(7), rs.getBigDecimal(8), rs.getBigDecimal(9), rs.getString(10), instant(rs, 11), instant(rs, 12),
                    instant(rs, 13), rs.getString(14), rs.getString(15), rs.getString(16));
            rows.ordersByRecord.computeIfAbsent(recordKey(o.runId(), o.record()), k -> new ArrayList<>()).add(o);
            rows.unclaimedOrders.put(o.id(), o);
        }, userId, runIds);
        query(c, """
                SELECT f.id, f.ferry_run_id, f.ferry_record, f.order_id, o.order_id, f.quantity, f.price, f.fill_value, f.charges, f.filled_at
                FROM trading.fills f LEFT JOIN trading.orders o ON o.id = f.order_id
                WHERE f.user_id = ? AND f.ferry_run_id = ANY(?) ORDER BY f.id""", rs -> {
            DbFill f = new DbFill(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getLong(4), rs.getString(5), rs.getBigDecimal(6),
                    rs.getBigDecimal(7), rs.getBigDecimal(8), rs.getBigDecimal(9), instant(rs, 10));
            rows.fillsByRecord.computeIfAbsent(recordKey(f.runId(), f.record()), k -> new ArrayList<>()).add(f);
            rows.unclaimedFills.put(f.id(), f);
        }, userId, runIds);
        return rows;
    }

    /** The user's open positions by symbol. */
    static Map<String, DbPosition> openPositions(Connection c, long userId) throws SQLException {
        Map<String, DbPosition> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, symbol, quantity, avg_price, unrealized_pnl, ferry_run_id FROM trading.positions WHERE user_id = ? AND closed_at IS NULL")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long run = rs.getLong(6);
                    out.put(rs.getString(2), new DbPosition(rs.getLong(1), rs.getString(2), rs.getBigDecimal(3), rs.getBigDecimal(4),
                            rs.getBigDecimal(5), rs.wasNull() ? null : run));
                }
            }
        }
        return out;
    }

    private static List<Long> runs(Connection c, long userId, String flow, String fileName, String status) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM ferry.runs WHERE user_id = ? AND flow = ? AND source_file = ? "
                + "AND NOT dry_run AND " + status + " ORDER BY id")) {
            ps.setLong(1, userId);
            ps.setString(2, flow);
            ps.setString(3, fileName);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
        }
        return out;
    }

    @FunctionalInterface
    private interface RowSink {
        void row(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, RowSink sink, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(10_000);
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.row(rs);
                }
            }
        }
    }

    private static Instant instant(ResultSet rs, int col) throws SQLException {
        Timestamp t = rs.getTimestamp(col);
        return t == null ? null : t.toInstant();
    }
}
