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
 * those since rolled back) and the rejections and duplicates they listed, read once per file;
 * the dedup keys of the file's records, looked up a chunk of records at a time; and the rows
 * those runs wrote, streamed in source-record order through two cursors ({@link #take}), so
 * that a file of millions of records is compared in bounded memory.
 */
final class LoadedRows implements AutoCloseable {

    record DbOrder(long id, long runId, int record, String symbol, String side, String orderType, BigDecimal quantity, BigDecimal price,
                   BigDecimal avgPrice, String status, Instant placedAt, Instant filledAt, Instant closedAt, String orderId,
                   String brokerOrderId, String origSource) {
    }

    record DbFill(long id, long runId, int record, long orderPk, String orderRef, BigDecimal quantity, BigDecimal price,
                  BigDecimal fillValue, BigDecimal charges, Instant filledAt) {
    }

    record DbPosition(long id, String symbol, BigDecimal quantity, BigDecimal avgPrice, BigDecimal unrealizedPnl, Long runId) {
    }

    /** The rows one source record became: its run's orders and fills with its record number. */
    record Group(List<DbOrder> orders, List<DbFill> fills) {
    }

    private record KeyRow(String key, long runId, int record) {
    }

    private static final int FETCH = 10_000;
    /** Keys read ahead and not yet claimed, at most: beyond it (a file in another order than its load) keys are looked up by index. */
    static final int WINDOW = 50_000;

    final List<Long> runs;
    final List<Long> rolledBackRuns;
    final Set<String> duplicateKeys = new HashSet<>();
    /** Rejections by the record's raw text, and by record number and path for those kept without it. */
    final Map<String, String> rejectsByRaw = new HashMap<>();
    final Map<String, String> rejectsByPlace = new HashMap<>();

    private final Connection c;
    private final long userId;
    private Array runIds;
    private Cursor<DbOrder> orders;
    private Cursor<DbFill> fills;
    private Cursor<KeyRow> keyCursor;
    private boolean keysIndexed;
    private int readAhead = WINDOW;
    /** Keys the key cursor has read and no record has claimed yet. */
    private final Map<String, long[]> window = new HashMap<>();
    /** Groups the cursors passed on the way to a later record: claimed later, or rows without a source record. */
    private final Map<Long, Group> passed = new LinkedHashMap<>();

    private LoadedRows(Connection c, long userId, List<Long> runs, List<Long> rolledBackRuns) {
        this.c = c;
        this.userId = userId;
        this.runs = runs;
        this.rolledBackRuns = rolledBackRuns;
    }

    static long recordKey(long runId, int record) {
        return runId << 24 ^ record;
    }

    /**
     * kinds: the record kinds of the flow, whose keys the file's records claim; withOrderRefs: give
     * each fill the order_id of its order (transactions name their paper order by it).
     */
    static LoadedRows read(Connection c, long userId, String flow, String fileName, Set<String> kinds, boolean withOrderRefs,
            int readAhead) throws SQLException {
        LoadedRows rows = new LoadedRows(c, userId, runs(c, userId, flow, fileName, "status IN ('completed', 'completed_with_rejects')"),
                runs(c, userId, flow, fileName, "status = 'rolled_back'"));
        rows.readAhead = readAhead;
        if (rows.runs.isEmpty()) {
            return rows;
        }
        rows.runIds = c.createArrayOf("bigint", rows.runs.toArray());
        query(c, "SELECT raw, record_no || '|' || record_path, coalesce(field, '') || ': ' || reason FROM ferry.rejects WHERE run_id = ANY(?)",
                rs -> {
                    if (rs.getString(1) != null) {
                        rows.rejectsByRaw.put(rs.getString(1), rs.getString(3));
                    }
                    rows.rejectsByPlace.put(rs.getString(2), rs.getString(3));
                }, rows.runIds);
        query(c, "SELECT kind || '|' || key FROM ferry.duplicates WHERE run_id = ANY(?)", rs -> rows.duplicateKeys.add(rs.getString(1)),
                rows.runIds);
        // sorting a million rows in 4 MB of work_mem would spill to disk; the setting ends with the validation's transaction
        try (var st = c.createStatement()) {
            st.execute("SET LOCAL work_mem = '64MB'");
        }
        rows.orders = new Cursor<>(c, """
                SELECT id, ferry_run_id, coalesce(ferry_record, 0), symbol, side, order_type, quantity, price, avg_price, status::text,
                       placed_at, filled_at, closed_at, order_id, broker_order_id, orig_source
                FROM trading.orders WHERE user_id = ? AND ferry_run_id = ANY(?) ORDER BY 2, 3, 1""", userId, rows.runIds, rs ->
                new DbOrder(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getBigDecimal(7), rs.getBigDecimal(8), rs.getBigDecimal(9), rs.getString(10), instant(rs, 11), instant(rs, 12),
                        instant(rs, 13), rs.getString(14), rs.getString(15), rs.getString(16)), o -> o.runId(), o -> o.record());
        rows.keyCursor = new Cursor<>(c, "SELECT kind || '|' || key, run_id, record_no FROM ferry.record_keys "
                + "WHERE user_id = ? AND run_id = ANY(?) AND kind = ANY(?) ORDER BY 2, 3", userId, rows.runIds,
                rs -> new KeyRow(rs.getString(1), rs.getLong(2), rs.getInt(3)), k -> k.runId(), k -> k.record(),
                c.createArrayOf("text", kinds.toArray()));
        rows.fills = new Cursor<>(c, "SELECT f.id, f.ferry_run_id, coalesce(f.ferry_record, 0), f.order_id, "
                + (withOrderRefs ? "(SELECT o.order_id FROM trading.orders o WHERE o.id = f.order_id)" : "NULL::text")
                + ", f.quantity, f.price, f.fill_value, f.charges, f.filled_at "
                + "FROM trading.fills f WHERE f.user_id = ? AND f.ferry_run_id = ANY(?) ORDER BY 2, 3, 1", userId, rows.runIds, rs ->
                new DbFill(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getLong(4), rs.getString(5), rs.getBigDecimal(6),
                        rs.getBigDecimal(7), rs.getBigDecimal(8), rs.getBigDecimal(9), instant(rs, 10)), f -> f.runId(), f -> f.record());
        return rows;
    }

    /**
     * The run and record number that loaded each of these keys (kind|key), for a chunk of
     * records at a time. The keys stream in load order next to the file's records, so a file read
     * in the order it was loaded finds each key among the next few; any other key (a file the bot
     * rewrote in another order) is looked up in the runs' keys, indexed for that on first need.
     */
    Map<String, long[]> loadedKeys(List<String> kinds, List<String> keys) throws SQLException {
        Map<String, long[]> out = new HashMap<>();
        if (runs.isEmpty() || keys.isEmpty()) {
            return out;
        }
        List<String> lookKinds = new ArrayList<>();
        List<String> lookKeys = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = kinds.get(i) + '|' + keys.get(i);
            long[] at = window.remove(key);
            while (at == null && window.size() < readAhead && keyCursor.hasNext()) {
                KeyRow k = keyCursor.next();
                if (k.key().equals(key)) {
                    at = new long[] {k.runId(), k.record()};
                } else {
                    window.put(k.key(), new long[] {k.runId(), k.record()});
                }
            }
            if (at != null) {
                out.put(key, at);
            } else {
                lookKinds.add(kinds.get(i));
                lookKeys.add(keys.get(i));
            }
        }
        if (lookKeys.isEmpty()) {
            return out;
        }
        if (!keysIndexed) {
            indexKeys();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT k.kind || '|' || k.key, k.run_id, k.record_no FROM unnest(?::text[], ?::text[]) AS q (kind, key)
                JOIN ferry_validate_keys k ON k.kind = q.kind AND k.key = q.key""")) {
            ps.setArray(1, c.createArrayOf("text", lookKinds.toArray()));
            ps.setArray(2, c.createArrayOf("text", lookKeys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new long[] {rs.getLong(2), rs.getInt(3)});
                }
            }
        }
        return out;
    }

    /**
     * The runs' keys copied once into a temporary table with an index, the first time a key is
     * not where the load order puts it: ferry.record_keys has no index by key (Ferry schema 12),
     * and a file rewritten in another order would otherwise scan all the runs' keys per chunk.
     * It goes with the validation's transaction, which is rolled back.
     */
    private void indexKeys() throws SQLException {
        try (var st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS ferry_validate_keys");
            st.execute("CREATE TEMP TABLE ferry_validate_keys (kind text, key text, run_id bigint, record_no integer)");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_validate_keys "
                + "SELECT kind, key, run_id, record_no FROM ferry.record_keys WHERE user_id = ? AND run_id = ANY(?)")) {
            ps.setLong(1, userId);
            ps.setArray(2, runIds);
            ps.executeUpdate();
        }
        try (var st = c.createStatement()) {
            st.execute("CREATE INDEX ON ferry_validate_keys (kind, key)");
            st.execute("ANALYZE ferry_validate_keys");
        }
        keysIndexed = true;
    }

    /**
     * The rows of this run's record. The cursors are ordered by (run, record), so a file read
     * in the order it was loaded takes each group as the cursors reach it; a group passed on the
     * way to a later record waits in memory until its record comes, or is left over.
     */
    Group take(long runId, int record) throws SQLException {
        Group g = passed.remove(recordKey(runId, record));
        if (g != null || orders == null) {
            return g != null ? g : new Group(List.of(), List.of());
        }
        List<DbOrder> o = orders.upTo(runId, record, this::pass);
        List<DbFill> f = fills.upTo(runId, record, this::pass);
        return new Group(o, f);
    }

    private void pass(Object row) {
        if (row instanceof DbOrder o) {
            passed.computeIfAbsent(recordKey(o.runId(), o.record()), k -> new Group(new ArrayList<>(), new ArrayList<>())).orders().add(o);
        } else if (row instanceof DbFill f) {
            passed.computeIfAbsent(recordKey(f.runId(), f.record()), k -> new Group(new ArrayList<>(), new ArrayList<>())).fills().add(f);
        }
    }

    /** Every row no record took: first the orders, then the fills, each in (run, record) order. */
    void leftOver(RowConsumer<DbOrder> orphanOrder, RowConsumer<DbFill> orphanFill) throws SQLException {
        if (orders == null) {
            return;
        }
        for (Group g : passed.values()) {
            for (DbOrder o : g.orders()) {
                orphanOrder.accept(o);
            }
        }
        orders.rest(orphanOrder);
        for (Group g : passed.values()) {
            for (DbFill f : g.fills()) {
                orphanFill.accept(f);
            }
        }
        fills.rest(orphanFill);
        passed.clear();
    }

    @Override
    public void close() throws SQLException {
        if (orders != null) {
            try {
                orders.close();
                fills.close();
            } finally {
                keyCursor.close();
            }
        }
    }

    @FunctionalInterface
    interface RowConsumer<T> {
        void accept(T row) throws SQLException;
    }

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A server-side cursor over rows ordered by (run, record), with one row of look-ahead. */
    private static final class Cursor<T> implements AutoCloseable {
        private final PreparedStatement ps;
        private final ResultSet rs;
        private final RowMapper<T> mapper;
        private final java.util.function.ToLongFunction<T> run;
        private final java.util.function.ToIntFunction<T> record;
        private T head;

        Cursor(Connection c, String sql, long userId, Array runIds, RowMapper<T> mapper, java.util.function.ToLongFunction<T> run,
               java.util.function.ToIntFunction<T> record, Object... more) throws SQLException {
            this.ps = c.prepareStatement(sql);
            ps.setFetchSize(FETCH); // with autocommit off, pgjdbc fetches in rounds instead of reading every row at once
            ps.setLong(1, userId);
            ps.setArray(2, runIds);
            for (int i = 0; i < more.length; i++) {
                ps.setObject(3 + i, more[i]);
            }
            this.rs = ps.executeQuery();
            this.mapper = mapper;
            this.run = run;
            this.record = record;
            advance();
        }

        private void advance() throws SQLException {
            head = rs.next() ? mapper.map(rs) : null;
        }

        boolean hasNext() {
            return head != null;
        }

        T next() throws SQLException {
            T t = head;
            advance();
            return t;
        }

        /** The rows of (runId, recordNo); rows before it go to passed. */
        List<T> upTo(long runId, int recordNo, java.util.function.Consumer<Object> passed) throws SQLException {
            List<T> out = new ArrayList<>(2);
            while (head != null) {
                int cmp = run.applyAsLong(head) != runId ? Long.compare(run.applyAsLong(head), runId)
                        : Integer.compare(record.applyAsInt(head), recordNo);
                if (cmp > 0) {
                    break;
                }
                if (cmp < 0) {
                    passed.accept(head);
                } else {
                    out.add(head);
                }
                advance();
            }
            return out;
        }

        void rest(RowConsumer<T> sink) throws SQLException {
            while (head != null) {
                sink.accept(head);
                advance();
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                rs.close();
            } finally {
                ps.close();
            }
        }
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
            ps.setFetchSize(FETCH);
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
