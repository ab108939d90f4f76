package dev.ferry.v2.validate;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ferry.core.db.Sql;
import dev.ferry.core.report.ValidationResult;
import dev.ferry.v2.read.V2Source;
import dev.ferry.v2.read.V2Table;
import dev.ferry.v2.transform.Mapped;
import dev.ferry.v2.transform.V2Mapper;
import dev.ferry.v2.transform.V3Row;
import dev.ferry.v2.write.V3Values;

/**
 * v3 against v2, the guide's checks and then record by record: every v2 row is mapped again and
 * its v3 rows (found through the lineage) must hold the mapped values, column by column, compared
 * by PostgreSQL in the column's own type; every v3 row Ferry wrote must still trace to a v2 row.
 * v2 is read page by page, so memory stays flat whatever its size.
 */
public final class V2Validator {

    private final V2Source source;
    private final V2Mapper mapper;
    private final V3Values values = new V3Values();

    public V2Validator(V2Source source, V2Mapper mapper) {
        this.source = source;
        this.mapper = mapper;
    }

    /** Validates v3 (the connection's database) against the v2 source now; runs in the caller's transaction. */
    public ValidationResult validate(Connection v3, List<V2Table> tables, int pageRows) throws SQLException {
        long started = System.nanoTime();
        ValidationResult r = new ValidationResult("v2 " + source.safeUrl() + " -> v3");
        values.forget();
        Map<String, Set<Long>> v2Ids = new HashMap<>();
        try (Connection v2 = source.getConnection()) {
            v2.setAutoCommit(false); // one snapshot of v2 for the whole comparison
            try (Statement st = v2.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            }
            for (V2Table t : tables) {
                v2Ids.put(t.name(), compareTable(v2, v3, t, pageRows, r));
            }
            v2.rollback();
        }
        traceBack(v3, v2Ids, r);
        guideChecks(v3, r);
        return r.finish(started);
    }

    // ---- record by record ---------------------------------------------------------------------

    private Set<Long> compareTable(Connection v2, Connection v3, V2Table t, int pageRows, ValidationResult r) throws SQLException {
        ValidationResult.Source src = r.source("v2 " + t.name(), "table");
        Set<Long> ids = new HashSet<>();
        long[] range = idRange(v2, t.name());
        long v2Rows = 0;
        long rejected = 0;
        long compared = 0;
        for (long lo = range[0] / pageRows * pageRows; lo <= range[1]; lo += pageRows) {
            List<Map<String, Object>> rows = read(v2, t.pageQuery(lo, lo + pageRows));
            if (rows.isEmpty()) {
                continue;
            }
            Map<Long, String> outcome = outcomes(v3, t.name(), lo, lo + pageRows);
            Map<Long, Map<String, Object[]>> lineage = lineage(v3, t.name(), lo, lo + pageRows);
            Map<String, List<Expected>> expected = new LinkedHashMap<>();
            for (Map<String, Object> row : rows) {
                Mapped m = mapper.map(t.name(), row);
                ids.add(m.v2Id());
                v2Rows++;
                String out = outcome.get(m.v2Id());
                String record = "id " + m.v2Id();
                if (out == null) {
                    r.mismatch(src, new ValidationResult.Mismatch("v2 " + t.name(), record, null, null, "in v2", "not migrated (run ferry v2 sync)"));
                    continue;
                }
                if (!out.equals("loaded")) {
                    rejected++; // kept in ferry_v2.rejects with its reason; nothing of it is in v3
                    continue;
                }
                if (m.isRejected()) {
                    r.mismatch(src, new ValidationResult.Mismatch("v2 " + t.name(), record, null, m.rejected().column(), m.rejected().value(),
                            "loaded, but v2's row now maps to a reject: " + m.rejected().reason()));
                    continue;
                }
                Map<String, Object[]> made = lineage.getOrDefault(m.v2Id(), Map.of());
                for (V3Row row3 : m.rows()) {
                    Object[] w = made.get(row3.table());
                    if (w == null) {
                        r.mismatch(src, new ValidationResult.Mismatch("v2 " + t.name(), record, row3.table(), null, "a v3 " + row3.table() + " row",
                                "none written"));
                        continue;
                    }
                    expected.computeIfAbsent(row3.table() + ((Boolean) w[1] ? "+enriched" : ""), k -> new ArrayList<>())
                            .add(new Expected("v2 " + t.name(), record, (Long) w[0], row3));
                }
            }
            if (t.name().equals("sltp_orders")) {
                resolveTradeIds(v3, expected.getOrDefault("sltp_orders", List.of()));
            }
            for (Map.Entry<String, List<Expected>> e : expected.entrySet()) {
                compared += compare(v3, e.getKey(), e.getValue(), src, r);
            }
        }
        src.add("v2 rows", v2Rows).add("rejected (with reasons)", rejected).add("v3 rows compared", compared);
        return ids;
    }

    private record Expected(String source, String record, long v3Id, V3Row row) {
    }

    /** One statement per v3 table and page: PostgreSQL compares each column in its own type. */
    private long compare(Connection v3, String key, List<Expected> rows, ValidationResult.Source src, ValidationResult r) throws SQLException {
        boolean enriched = key.endsWith("+enriched");
        String table = enriched ? key.substring(0, key.indexOf('+')) : key;
        Map<String, String> types = values.types(v3, table);
        List<String> columns = new ArrayList<>(rows.get(0).row().values().keySet());
        if (enriched) {
            columns.retainAll(V2Mapper.ENRICHED);
            columns.add("extra_data");
        }
        StringBuilder sql = new StringBuilder("SELECT u.i, x.id IS NULL");
        StringBuilder args = new StringBuilder("?::bigint[]");
        StringBuilder names = new StringBuilder("i");
        for (int c = 0; c < columns.size(); c++) {
            String col = columns.get(c);
            String type = types.getOrDefault(col, "text");
            sql.append(", ").append(equal("x." + col, "u.c" + c, type, enriched && col.equals("extra_data"))).append(", x.").append(col).append("::text");
            args.append(", ?::text[]");
            names.append(", c").append(c);
        }
        sql.append(" FROM unnest(").append(args).append(") AS u(").append(names).append(") LEFT JOIN ").append(table).append(" x ON x.id = u.i");
        try (PreparedStatement ps = v3.prepareStatement(sql.toString())) {
            Long[] ids = new Long[rows.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = rows.get(i).v3Id();
            }
            ps.setArray(1, v3.createArrayOf("bigint", ids));
            for (int c = 0; c < columns.size(); c++) {
                String[] col = new String[rows.size()];
                for (int i = 0; i < col.length; i++) {
                    col[i] = V3Values.text(rows.get(i).row().get(columns.get(c)));
                }
                ps.setArray(c + 2, v3.createArrayOf("text", col));
            }
            Map<Long, Expected> byId = new HashMap<>();
            rows.forEach(e -> byId.put(e.v3Id(), e));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Expected e = byId.get(rs.getLong(1));
                    String row = table + " id " + e.v3Id();
                    if (rs.getBoolean(2)) {
                        r.mismatch(src, new ValidationResult.Mismatch(e.source(), e.record(), row, null, "a v3 row", "deleted from v3"));
                        continue;
                    }
                    for (int c = 0; c < columns.size(); c++) {
                        if (!rs.getBoolean(3 + 2 * c)) {
                            r.mismatch(src, new ValidationResult.Mismatch(e.source(), e.record(), row, columns.get(c),
                                    V3Values.text(e.row().get(columns.get(c))), rs.getString(4 + 2 * c)));
                        }
                    }
                }
            }
        }
        return rows.size();
    }

    private static String equal(String actual, String expected, String type, boolean contains) {
        if (type.equals("json") || type.equals("jsonb")) {
            return contains ? "coalesce(" + actual + "::jsonb @> " + expected + "::jsonb, false)"
                    : "(" + actual + "::jsonb IS NOT DISTINCT FROM " + expected + "::jsonb)";
        }
        if (type.startsWith("character") || type.equals("text")) {
            // a cast to varchar(n) would cut the expected value to fit: compare as text
            return "(" + actual + "::text IS NOT DISTINCT FROM " + expected + ")";
        }
        return "(" + actual + " IS NOT DISTINCT FROM " + expected + "::" + type + ")";
    }

    /** The mapped sltp order names a v2 trade; v3's names the order made from it. */
    private static void resolveTradeIds(Connection v3, List<Expected> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Set<Long> trades = new HashSet<>();
        rows.forEach(e -> trades.add(Long.parseLong(e.row().get("trade_id").toString())));
        Map<Long, Long> orders = new HashMap<>();
        try (PreparedStatement ps = v3.prepareStatement(
                "SELECT v2_id, v3_id FROM ferry_v2.written WHERE v2_table = 'trades' AND v3_table = 'orders' AND v2_id = ANY(?)")) {
            ps.setArray(1, v3.createArrayOf("bigint", trades.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    orders.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        for (Expected e : rows) {
            Long order = orders.get(Long.parseLong(e.row().get("trade_id").toString()));
            e.row().put("trade_id", order == null ? "no v3 order for v2 trade " + e.row().get("trade_id") : order);
        }
    }

    // ---- every v3 row Ferry wrote traces to v2 ---------------------------------------------------

    private static void traceBack(Connection v3, Map<String, Set<Long>> v2Ids, ValidationResult r) throws SQLException {
        long written = 0;
        long kept = 0;
        try (Statement st = v3.createStatement();
             ResultSet rs = st.executeQuery("SELECT w.v3_table, w.v3_id, w.v2_table, w.v2_id, coalesce(s.deleted, false) "
                     + "FROM ferry_v2.written w LEFT JOIN ferry_v2.source_rows s ON s.v2_table = w.v2_table AND s.v2_id = w.v2_id")) {
            while (rs.next()) {
                written++;
                Set<Long> ids = v2Ids.get(rs.getString(3));
                if (ids != null && ids.contains(rs.getLong(4))) {
                    continue;
                }
                String row = rs.getString(1) + " id " + rs.getLong(2);
                String record = rs.getString(3) + " id " + rs.getLong(4);
                if (rs.getBoolean(5)) {
                    kept++; // deleted in v2 and kept on purpose (ferry.v2.sync.deletes=report)
                } else {
                    r.mismatch(null, new ValidationResult.Mismatch("v2 " + rs.getString(3), "id " + rs.getLong(4), row, null, "not in v2", "in v3"));
                }
            }
        }
        r.note(written + " v3 row(s) Ferry wrote, each traced to its v2 row" + (kept > 0 ? " (" + kept + " to a row deleted in v2 since)" : ""));
        if (kept > 0) {
            r.warning(kept + " v3 row(s) come from v2 rows deleted since; kept because ferry.v2.sync.deletes=report (apply removes them)");
        }
    }

    // ---- the guide's own queries -------------------------------------------------------------------

    private static void guideChecks(Connection v3, ValidationResult r) throws SQLException {
        long orphans = Sql.number(v3, "SELECT count(*) FROM trades t JOIN ferry_v2.written w ON w.v3_table = 'trades' AND w.v3_id = t.id "
                + "LEFT JOIN orders o ON o.order_id = t.order_id WHERE o.id IS NULL");
        r.check("every v3 trade has its order", orphans == 0, orphans + " trade(s) whose order_id no v3 order has");
        long sltpOrphans = Sql.number(v3, "SELECT count(*) FROM sltp_orders s LEFT JOIN orders o ON o.id = s.trade_id WHERE o.id IS NULL");
        r.check("every sltp order has its v3 order", sltpOrphans == 0, sltpOrphans + " sltp order(s) without their order");
        long empty = Sql.number(v3, "SELECT count(*) FROM ferry_v2.written w WHERE w.v3_table IN ('orders', 'trades', 'signals') AND EXISTS ("
                + "SELECT 1 FROM orders o WHERE w.v3_table = 'orders' AND o.id = w.v3_id AND btrim(o.symbol) = '' UNION ALL "
                + "SELECT 1 FROM trades t WHERE w.v3_table = 'trades' AND t.id = w.v3_id AND btrim(t.symbol) = '' UNION ALL "
                + "SELECT 1 FROM signals s WHERE w.v3_table = 'signals' AND s.id = w.v3_id AND btrim(s.symbol) = '')");
        r.check("no empty symbols", empty == 0, empty + " row(s) with an empty symbol");
        long prices = Sql.number(v3, "SELECT (SELECT count(*) FROM orders o JOIN ferry_v2.written w ON w.v3_table = 'orders' AND w.v3_id = o.id "
                + "WHERE o.price <= 0 OR o.quantity <= 0) + (SELECT count(*) FROM trades t JOIN ferry_v2.written w ON w.v3_table = 'trades' "
                + "AND w.v3_id = t.id WHERE t.price <= 0 OR t.quantity <= 0)");
        r.check("no non-positive prices or quantities", prices == 0, prices + " order(s) or trade(s) with a price or quantity <= 0");
        r.note("the guide's counts in v3: " + Sql.number(v3, "SELECT count(*) FROM orders WHERE extra_data->>'v2_trade_id' IS NOT NULL")
                + " orders from v2 trades, " + Sql.number(v3, "SELECT count(*) FROM trades") + " trades, " + Sql.number(v3, "SELECT count(*) FROM signals")
                + " signals, " + Sql.number(v3, "SELECT count(*) FROM sltp_orders") + " sltp orders");
    }

    // ---- reading -----------------------------------------------------------------------------------

    private static long[] idRange(Connection v2, String table) throws SQLException {
        try (Statement st = v2.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM " + table)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /** The rows as camel-sql's SelectList gives them to the mapper: column name to JDBC value. */
    private static List<Map<String, Object>> read(Connection v2, String sql) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Statement st = v2.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static Map<Long, String> outcomes(Connection v3, String table, long lo, long hi) throws SQLException {
        Map<Long, String> out = new HashMap<>();
        try (PreparedStatement ps = v3.prepareStatement(
                "SELECT v2_id, outcome FROM ferry_v2.source_rows WHERE v2_table = ? AND v2_id >= ? AND v2_id < ? AND NOT deleted")) {
            ps.setString(1, table);
            ps.setLong(2, lo);
            ps.setLong(3, hi);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** v2 id -> v3 table -> (v3 id, enriched). */
    private static Map<Long, Map<String, Object[]>> lineage(Connection v3, String table, long lo, long hi) throws SQLException {
        Map<Long, Map<String, Object[]>> out = new HashMap<>();
        try (PreparedStatement ps = v3.prepareStatement(
                "SELECT v2_id, v3_table, v3_id, enriched FROM ferry_v2.written WHERE v2_table = ? AND v2_id >= ? AND v2_id < ?")) {
            ps.setString(1, table);
            ps.setLong(2, lo);
            ps.setLong(3, hi);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getString(2), new Object[] {rs.getLong(3), rs.getBoolean(4)});
                }
            }
        }
        return out;
    }

}
