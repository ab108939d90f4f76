package dev.ferry.v2.write;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.ferry.core.db.CopyRowWriter;
import dev.ferry.core.db.Sql;
import dev.ferry.v2.report.V2Result;
import dev.ferry.v2.transform.Mapped;
import dev.ferry.v2.transform.V2Mapper;
import dev.ferry.v2.transform.V3Row;
import org.postgresql.PGConnection;

/**
 * Loads one page into v3 in one transaction: the new rows by COPY (ids drawn from their
 * sequences first, so lineage can name them), the changed ones by UPDATE with the row as it was
 * kept in the undo log, the lineage, the rejects and the page's digest, the checkpoint that lets
 * the next pass skip the page. A crash before the commit leaves none of it; after, all of it.
 */
public final class V3Writer {

    /** The column that is unique in each v3 table Ferry writes: a second v2 row with the same value is rejected, not merged. */
    private static final Map<String, String> UNIQUE = Map.of("orders", "order_id", "trades", "trade_id",
            "bybit_trade_history", "order_id", "trading_sessions", "session_id", "sltp_orders", "v2_id");

    private final V3Values values = new V3Values();

    /** Writes the page; the caller commits (or, for a dry run, rolls back). */
    public void load(Connection c, long runId, V3Page p, boolean applyDeletes, V2Result result) throws SQLException {
        String v2Table = p.table.name();
        V2Result.TableCounts counts = result.table(v2Table);
        counts.addRead(p.read);
        counts.addUnchanged(p.unchanged);
        Map<Long, String> outcome = new LinkedHashMap<>();
        Map<Long, Long> hashes = new HashMap<>();
        List<Mapped> toInsert = new ArrayList<>();
        List<V3Page.Changed> toUpdate = new ArrayList<>();
        for (Mapped m : p.fresh) {
            hashes.put(m.v2Id(), m.rowHash());
            toInsert.add(m);
        }
        for (V3Page.Changed ch : p.changed) {
            hashes.put(ch.row().v2Id(), ch.row().rowHash());
            if ("loaded".equals(ch.previousOutcome())) {
                toUpdate.add(ch);
            } else {
                toInsert.add(ch.row()); // rejected or ambiguous last time: a new attempt
            }
        }
        List<Mapped> problems = new ArrayList<>();
        for (Mapped m : toInsert) {
            if (m.isRejected()) {
                problems.add(m);
            }
        }
        toInsert.removeIf(Mapped::isRejected);
        for (V3Page.Changed ch : toUpdate) {
            if (ch.row().isRejected()) {
                problems.add(ch.row());
            }
        }
        toUpdate.removeIf(ch -> ch.row().isRejected());

        if (v2Table.equals("sltp_orders")) {
            resolveTradeIds(c, toInsert, toUpdate.stream().map(V3Page.Changed::row).toList());
            toInsert.removeIf(m -> m.isRejected() && problems.add(m));
            toUpdate.removeIf(ch -> ch.row().isRejected() && problems.add(ch.row()));
        }
        rejectCollisions(c, toInsert);
        toInsert.removeIf(m -> m.isRejected() && problems.add(m));

        Map<Long, Long> enrichTargets = v2Table.equals("signals") ? matchSignals(c, toInsert, outcome, problems) : Map.of();

        // inserts: COPY per v3 table, ids drawn first
        Map<String, List<Object[]>> written = new LinkedHashMap<>(); // v3 table -> (v3 id, v2 id, enriched)
        Map<String, List<V3Row>> byTable = new LinkedHashMap<>();
        Map<V3Row, Long> rowSource = new HashMap<>();
        for (Mapped m : toInsert) {
            if (enrichTargets.containsKey(m.v2Id())) {
                continue;
            }
            for (V3Row r : m.rows()) {
                byTable.computeIfAbsent(r.table(), k -> new ArrayList<>()).add(r);
                rowSource.put(r, m.v2Id());
            }
            outcome.put(m.v2Id(), "loaded");
        }
        for (Map.Entry<String, List<V3Row>> e : byTable.entrySet()) {
            List<Long> ids = nextIds(c, e.getKey(), e.getValue().size());
            copy(c, e.getKey(), e.getValue(), ids);
            List<Object[]> w = written.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
            for (int i = 0; i < ids.size(); i++) {
                w.add(new Object[] {ids.get(i), rowSource.get(e.getValue().get(i)), false});
            }
            result.wrote(e.getKey(), ids.size());
        }
        counts.addLoaded(toInsert.size() - enrichTargets.size());

        // enrichment of the platform's own signals: one update of them all, kept in the undo log
        Map<Long, Mapped> enriching = new LinkedHashMap<>();
        for (Mapped m : toInsert) {
            Long target = enrichTargets.get(m.v2Id());
            if (target != null) {
                enriching.put(target, m);
                written.computeIfAbsent("signals", k -> new ArrayList<>()).add(new Object[] {target, m.v2Id(), true});
                outcome.put(m.v2Id(), "loaded");
            }
        }
        enrich(c, runId, enriching);
        counts.addLoaded(enriching.size());
        counts.addEnriched(enriching.size());

        // changes since the last pass: update the rows made from them, create the ones they now make
        for (V3Page.Changed ch : toUpdate) {
            update(c, runId, ch, written, result);
            outcome.put(ch.row().v2Id(), "loaded");
        }
        counts.addUpdated(toUpdate.size());

        for (Mapped m : problems) {
            if (!outcome.containsKey(m.v2Id())) {
                outcome.put(m.v2Id(), m.rejected().reason().startsWith("ambiguous") ? "ambiguous" : "rejected");
            }
        }
        counts.addRejected(problems.size());
        saveProblems(c, runId, v2Table, problems, p, result);

        recordWritten(c, runId, written);
        recordSources(c, runId, v2Table, outcome, hashes);
        if (!p.deleted.isEmpty()) {
            deleted(c, runId, p, applyDeletes, result);
        }
        savePage(c, runId, p);
        counts.addMillis((System.nanoTime() - p.startedNanos) / 1_000_000);
    }

    // ---- inserts ------------------------------------------------------------------------

    private List<Long> nextIds(Connection c, String table, int n) throws SQLException {
        List<Long> ids = new ArrayList<>(n);
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval(pg_get_serial_sequence(?, 'id')) FROM generate_series(1, ?)")) {
            ps.setString(1, table);
            ps.setInt(2, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    private void copy(Connection c, String table, List<V3Row> rows, List<Long> ids) throws SQLException {
        List<String> columns = new ArrayList<>(rows.get(0).values().keySet());
        StringWriter text = new StringWriter(rows.size() * 200);
        CopyRowWriter w = new CopyRowWriter(text);
        try {
            for (int i = 0; i < rows.size(); i++) {
                w.number(ids.get(i));
                for (String col : columns) {
                    w.text(V3Values.text(rows.get(i).get(col)));
                }
                w.endRow();
            }
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (id, " + columns.stream().map(Sql::ident).collect(Collectors.joining(", ")) + ") FROM STDIN",
                    new StringReader(text.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A second v2 row whose v3 key is already taken (in this page or in v3) is rejected with the holder named. */
    private void rejectCollisions(Connection c, List<Mapped> rows) throws SQLException {
        Map<String, Map<String, Long>> seen = new HashMap<>();
        for (Mapped m : rows) {
            for (V3Row r : m.rows()) {
                String col = UNIQUE.get(r.table());
                if (col == null) {
                    continue;
                }
                String key = String.valueOf(r.get(col));
                Long first = seen.computeIfAbsent(r.table(), k -> new HashMap<>()).putIfAbsent(key, m.v2Id());
                if (first != null && first != m.v2Id()) {
                    m.reject(col, key, "v3 " + r.table() + "." + col + " is unique and v2 " + m.v2Table() + " id " + first + " has the same value");
                }
            }
        }
        for (Map.Entry<String, Map<String, Long>> e : seen.entrySet()) {
            String table = e.getKey();
            String col = UNIQUE.get(table);
            Map<String, String> taken = new HashMap<>();
            // compared in the column's own type, so its unique index finds them
            String type = values.types(c, table).getOrDefault(col, "text");
            try (PreparedStatement ps = c.prepareStatement("SELECT x." + col + "::text, w.v2_table || ' id ' || w.v2_id FROM " + table
                    + " x LEFT JOIN ferry_v2.written w ON w.v3_table = ? AND w.v3_id = x.id WHERE x." + col + " = ANY(?::text[]::" + type + "[])")) {
                ps.setString(1, table);
                ps.setArray(2, c.createArrayOf("text", e.getValue().keySet().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        taken.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            if (taken.isEmpty()) {
                continue;
            }
            for (Mapped m : rows) {
                V3Row r = m.row(table);
                if (r != null && !m.isRejected() && taken.containsKey(String.valueOf(r.get(col)))) {
                    String holder = taken.get(String.valueOf(r.get(col)));
                    m.reject(col, r.get(col), "v3 " + table + " already has " + col + " " + r.get(col)
                            + (holder == null ? ", written by the platform itself" : ", made from v2 " + holder));
                }
            }
        }
    }

    /** sltp_orders.trade_id names a v2 trade; in v3 it names the order made from that trade. */
    private void resolveTradeIds(Connection c, List<Mapped> inserts, List<Mapped> updates) throws SQLException {
        List<Mapped> all = new ArrayList<>(inserts);
        all.addAll(updates);
        Set<Long> tradeIds = new HashSet<>();
        for (Mapped m : all) {
            tradeIds.add(Long.parseLong(m.rows().get(0).get("trade_id").toString()));
        }
        Map<Long, Long> orders = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT v2_id, v3_id FROM ferry_v2.written WHERE v2_table = 'trades' AND v3_table = 'orders' AND v2_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", tradeIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    orders.put(rs.getLong(1), rs.getLong(2));
                }
            }
        }
        for (Mapped m : all) {
            V3Row r = m.rows().get(0);
            long trade = Long.parseLong(r.get("trade_id").toString());
            Long order = orders.get(trade);
            if (order == null) {
                m.reject("trade_id", trade, "v2 trade " + trade + " has no v3 order (it was rejected or is not in v2)");
            } else {
                r.put("trade_id", order);
            }
        }
    }

    /**
     * The platform's own v3 signal at the same symbol and second is enriched (the guide's UPDATE);
     * none is an insert; two candidates, or two v2 signals for one, is ambiguous: reported, never guessed.
     */
    private Map<Long, Long> matchSignals(Connection c, List<Mapped> rows, Map<Long, String> outcome, List<Mapped> problems) throws SQLException {
        if (rows.isEmpty()) {
            return Map.of();
        }
        List<String> symbols = new ArrayList<>();
        List<String> seconds = new ArrayList<>();
        for (Mapped m : rows) {
            V3Row r = m.rows().get(0);
            symbols.add((String) r.get("symbol"));
            seconds.add(r.get("created_at").toString());
        }
        Map<String, List<Long>> candidates = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT k.symbol, k.sec, s.id
                  FROM (SELECT DISTINCT symbol, date_trunc('second', at::timestamptz) AS sec
                          FROM unnest(?::text[], ?::text[]) AS u(symbol, at)) k
                  JOIN signals s ON s.symbol = k.symbol AND s.created_at >= k.sec AND s.created_at < k.sec + interval '1 second'
                 WHERE NOT EXISTS (SELECT 1 FROM ferry_v2.written w WHERE w.v3_table = 'signals' AND w.v3_id = s.id)""")) {
            ps.setArray(1, c.createArrayOf("text", symbols.toArray()));
            ps.setArray(2, c.createArrayOf("text", seconds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    candidates.computeIfAbsent(rs.getString(1) + '|' + rs.getTimestamp(2).toInstant(), k -> new ArrayList<>()).add(rs.getLong(3));
                }
            }
        }
        if (candidates.isEmpty()) {
            return Map.of();
        }
        Map<String, List<Mapped>> claimants = new HashMap<>();
        for (Mapped m : rows) {
            claimants.computeIfAbsent(secondKey(m), k -> new ArrayList<>()).add(m);
        }
        Map<Long, Long> targets = new HashMap<>();
        for (Mapped m : rows) {
            List<Long> found = candidates.get(secondKey(m));
            if (found == null) {
                continue;
            }
            int claims = claimants.get(secondKey(m)).size();
            if (found.size() == 1 && claims == 1) {
                targets.put(m.v2Id(), found.get(0));
            } else {
                m.reject("created_at", m.rows().get(0).get("created_at"), "ambiguous match: " + found.size() + " v3 signal(s) " + found
                        + " and " + claims + " v2 signal(s) at this symbol and second; not enriched, not inserted");
            }
        }
        rows.removeIf(m -> m.isRejected() && problems.add(m));
        return targets;
    }

    private static String secondKey(Mapped m) {
        V3Row r = m.rows().get(0);
        return r.get("symbol") + "|" + ((java.time.Instant) r.get("created_at")).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /** Sets the v2 columns on the platform's signals (v3 id -> the v2 signal), in one statement; the platform's own extra_data keys stay. */
    private void enrich(Connection c, long runId, Map<Long, Mapped> signals) throws SQLException {
        if (signals.isEmpty()) {
            return;
        }
        List<Long> ids = new ArrayList<>(signals.keySet());
        saveBefore(c, runId, "signals", "enrich", "signals", ids, signals.values().stream().map(Mapped::v2Id).toList(), null);
        Map<String, String> types = values.types(c, "signals");
        List<String> cols = new ArrayList<>(V2Mapper.ENRICHED);
        StringBuilder sql = new StringBuilder("UPDATE signals s SET ");
        StringBuilder names = new StringBuilder("id");
        StringBuilder args = new StringBuilder("?::bigint[]");
        for (int i = 0; i < cols.size(); i++) {
            sql.append(cols.get(i)).append(" = u.c").append(i).append("::").append(types.getOrDefault(cols.get(i), "text")).append(", ");
            names.append(", c").append(i);
            args.append(", ?::text[]");
        }
        sql.append("extra_data = (coalesce(s.extra_data::jsonb, '{}'::jsonb) || u.extra::jsonb)::json FROM unnest(").append(args)
                .append(", ?::text[]) AS u(").append(names).append(", extra) WHERE s.id = u.id");
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            for (int i = 0; i < cols.size(); i++) {
                String col = cols.get(i);
                ps.setArray(i + 2, c.createArrayOf("text", signals.values().stream().map(m -> V3Values.text(m.rows().get(0).get(col))).toArray()));
            }
            ps.setArray(cols.size() + 2, c.createArrayOf("text", signals.values().stream().map(m -> m.rows().get(0).get("extra_data").toString()).toArray()));
            ps.executeUpdate();
        }
    }

    // ---- updates ------------------------------------------------------------------------

    private void update(Connection c, long runId, V3Page.Changed ch, Map<String, List<Object[]>> written, V2Result result) throws SQLException {
        Mapped m = ch.row();
        Map<String, Long> existing = new HashMap<>();
        Map<String, Boolean> enriched = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT v3_table, v3_id, enriched FROM ferry_v2.written WHERE v2_table = ? AND v2_id = ?")) {
            ps.setString(1, m.v2Table());
            ps.setLong(2, m.v2Id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    existing.put(rs.getString(1), rs.getLong(2));
                    enriched.put(rs.getString(1), rs.getBoolean(3));
                }
            }
        }
        for (V3Row r : m.rows()) {
            Long id = existing.get(r.table());
            if (id == null) {
                // e.g. an open trade that closed: its v3 trade is new
                Mapped one = new Mapped(m.v2Table(), m.v2Id(), m.rowHash());
                one.add(r);
                List<Mapped> probe = new ArrayList<>(List.of(one));
                rejectCollisions(c, probe);
                if (one.isRejected()) {
                    result.warning(new V2Result.Problem(m.v2Table(), m.v2Id(), one.rejected().column(), one.rejected().value(), one.rejected().reason()));
                    continue;
                }
                long newId = nextIds(c, r.table(), 1).get(0);
                copy(c, r.table(), List.of(r), List.of(newId));
                written.computeIfAbsent(r.table(), k -> new ArrayList<>()).add(new Object[] {newId, m.v2Id(), false});
                result.wrote(r.table(), 1);
                continue;
            }
            if (Boolean.TRUE.equals(enriched.get(r.table()))) {
                enrich(c, runId, Map.of(id, m));
            } else {
                saveBefore(c, runId, r.table(), "update", m.v2Table(), List.of(id), List.of(m.v2Id()), ch.previousHash());
                Map<String, Object> set = new LinkedHashMap<>(r.values());
                try (PreparedStatement ps = c.prepareStatement("UPDATE " + r.table() + " SET " + assignments(c, r.table(), set.keySet()) + " WHERE id = ?")) {
                    int i = bind(ps, set.values(), 1);
                    ps.setLong(i, id);
                    ps.executeUpdate();
                }
            }
            written.computeIfAbsent(r.table(), k -> new ArrayList<>()).add(new Object[] {id, m.v2Id(), enriched.getOrDefault(r.table(), false)});
        }
        Set<String> madeNow = m.rows().stream().map(V3Row::table).collect(Collectors.toSet());
        for (Map.Entry<String, Long> e : existing.entrySet()) {
            if (madeNow.contains(e.getKey()) || Boolean.TRUE.equals(enriched.get(e.getKey()))) {
                continue;
            }
            // the v2 row no longer makes this v3 row (a closed trade reopened: no v3 trade any more); keeping it would
            // leave v3 saying what v2 no longer says. The undo log keeps it for a rollback of this run.
            String table = e.getKey();
            long id = e.getValue();
            saveBefore(c, runId, table, "delete", m.v2Table(), List.of(id), List.of(m.v2Id()), ch.previousHash());
            Sql.update(c, "DELETE FROM " + table + " WHERE id = ?", id);
            Sql.update(c, "DELETE FROM ferry_v2.written WHERE v3_table = ? AND v3_id = ?", table, id);
            result.getNotes().add("v2 " + m.v2Table() + " id " + m.v2Id() + " no longer makes a v3 " + table + " row (" + table + " id " + id
                    + "): removed");
        }
    }

    private String assignments(Connection c, String table, Set<String> columns) throws SQLException {
        Map<String, String> types = values.types(c, table);
        return columns.stream().map(col -> Sql.ident(col) + " = ?::" + types.getOrDefault(col, "text")).collect(Collectors.joining(", "));
    }

    private static int bind(PreparedStatement ps, Iterable<Object> vals, int from) throws SQLException {
        int i = from;
        for (Object v : vals) {
            ps.setString(i++, V3Values.text(v));
        }
        return i;
    }

    /** The rows as they are now, into the undo log, each with the run that wrote it last and its md5 (v3 ids and their v2 ids pairwise). */
    private void saveBefore(Connection c, long runId, String table, String action, String v2Table, List<Long> v3Ids, List<Long> v2Ids, Long beforeHash)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_v2.changes (run_id, v3_table, v3_id, action, before, before_run, "
                + "before_md5, v2_table, v2_id, before_hash) SELECT ?, ?, x.id, ?, row_to_json(x), w.run_id, w.content_md5, ?, u.v2, ? "
                + "FROM unnest(?::bigint[], ?::bigint[]) AS u(v3, v2) JOIN " + table + " x ON x.id = u.v3 "
                + "LEFT JOIN ferry_v2.written w ON w.v3_table = ? AND w.v3_id = x.id")) {
            ps.setLong(1, runId);
            ps.setString(2, table);
            ps.setString(3, action);
            ps.setString(4, v2Table);
            if (beforeHash == null) {
                ps.setNull(5, java.sql.Types.BIGINT);
            } else {
                ps.setLong(5, beforeHash);
            }
            ps.setArray(6, c.createArrayOf("bigint", v3Ids.toArray()));
            ps.setArray(7, c.createArrayOf("bigint", v2Ids.toArray()));
            ps.setString(8, table);
            ps.executeUpdate();
        }
    }

    // ---- deletes in v2 ------------------------------------------------------------------

    private void deleted(Connection c, long runId, V3Page p, boolean apply, V2Result result) throws SQLException {
        String v2Table = p.table.name();
        V2Result.TableCounts counts = result.table(v2Table);
        counts.addDeletedInV2(p.deleted.size());
        try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_v2.source_rows SET deleted = true, run_id = ? WHERE v2_table = ? AND v2_id = ANY(?)")) {
            ps.setLong(1, runId);
            ps.setString(2, v2Table);
            ps.setArray(3, c.createArrayOf("bigint", p.deleted.toArray()));
            ps.executeUpdate();
        }
        for (Long id : p.deleted.subList(0, Math.min(p.deleted.size(), 20))) {
            result.getNotes().add("v2 " + v2Table + " id " + id + " was deleted in v2; its v3 rows are " + (apply ? "removed" : "kept (ferry.v2.sync.deletes=report)"));
        }
        if (!apply) {
            return;
        }
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT v3_table, v3_id, enriched, v2_id FROM ferry_v2.written WHERE v2_table = ? AND v2_id = ANY(?) "
                + "ORDER BY CASE v3_table WHEN 'trades' THEN 0 WHEN 'sltp_orders' THEN 1 ELSE 2 END")) {
            ps.setString(1, v2Table);
            ps.setArray(2, c.createArrayOf("bigint", p.deleted.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getString(1), rs.getLong(2), rs.getBoolean(3), rs.getLong(4)});
                }
            }
        }
        // per v3 table, in the order read (trades before the orders they name): undo log, rows, lineage
        Map<String, List<Long[]>> byTable = new LinkedHashMap<>();
        for (Object[] r : rows) {
            if ((Boolean) r[2]) {
                result.getNotes().add("v3 signal " + r[1] + " is the platform's own (only enriched from v2): kept");
                continue;
            }
            byTable.computeIfAbsent((String) r[0], k -> new ArrayList<>()).add(new Long[] {(Long) r[1], (Long) r[3]});
        }
        for (Map.Entry<String, List<Long[]>> e : byTable.entrySet()) {
            String table = e.getKey();
            List<Long> ids = e.getValue().stream().map(x -> x[0]).toList();
            saveBefore(c, runId, table, "delete", v2Table, ids, e.getValue().stream().map(x -> x[1]).toList(), null);
            Object[] idArray = ids.toArray();
            Sql.update(c, "DELETE FROM " + table + " WHERE id = ANY(?)", c.createArrayOf("bigint", idArray));
            Sql.update(c, "DELETE FROM ferry_v2.written WHERE v3_table = ? AND v3_id = ANY(?)", table, c.createArrayOf("bigint", idArray));
            counts.addDeletesApplied(ids.size());
        }
    }

    // ---- lineage ------------------------------------------------------------------------

    private void saveProblems(Connection c, long runId, String v2Table, List<Mapped> problems, V3Page p, V2Result result) throws SQLException {
        List<Mapped> all = new ArrayList<>(p.fresh);
        p.changed.forEach(ch -> all.add(ch.row()));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_v2.rejects (run_id, v2_table, v2_id, column_name, value, reason, warning) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (Mapped m : problems) {
                Mapped.Problem r = m.rejected();
                add(ps, runId, v2Table, m.v2Id(), r, false);
                result.reject(new V2Result.Problem(v2Table, m.v2Id(), r.column(), r.value(), r.reason()));
            }
            long warnings = 0;
            for (Mapped m : all) {
                if (m.isRejected()) {
                    continue;
                }
                for (Mapped.Problem w : m.warnings()) {
                    add(ps, runId, v2Table, m.v2Id(), w, true);
                    result.warning(new V2Result.Problem(v2Table, m.v2Id(), w.column(), w.value(), w.reason()));
                    warnings++;
                }
            }
            result.table(v2Table).addWarnings(warnings);
            ps.executeBatch();
        }
    }

    private static void add(PreparedStatement ps, long runId, String table, long id, Mapped.Problem p, boolean warning) throws SQLException {
        ps.setLong(1, runId);
        ps.setString(2, table);
        ps.setLong(3, id);
        ps.setString(4, p.column());
        ps.setString(5, p.value());
        ps.setString(6, p.reason());
        ps.setBoolean(7, warning);
        ps.addBatch();
    }

    private void recordWritten(Connection c, long runId, Map<String, List<Object[]>> written) throws SQLException {
        for (Map.Entry<String, List<Object[]>> e : written.entrySet()) {
            List<Object[]> rows = e.getValue();
            Long[] v3 = new Long[rows.size()];
            Long[] v2 = new Long[rows.size()];
            Boolean[] enriched = new Boolean[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                v3[i] = (Long) rows.get(i)[0];
                v2[i] = (Long) rows.get(i)[1];
                enriched[i] = (Boolean) rows.get(i)[2];
            }
            String table = e.getKey();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO ferry_v2.written (v3_table, v3_id, v2_table, v2_id, first_run, run_id, enriched, content_md5)
                    SELECT ?, u.v3, ?, u.v2, ?, ?, u.e, md5(row_to_json(x)::text)
                      FROM unnest(?::bigint[], ?::bigint[], ?::boolean[]) AS u(v3, v2, e) JOIN %s x ON x.id = u.v3
                    ON CONFLICT (v3_table, v3_id) DO UPDATE SET run_id = excluded.run_id, content_md5 = excluded.content_md5""".formatted(table))) {
                ps.setString(1, table);
                ps.setString(2, sourceTable(table));
                ps.setLong(3, runId);
                ps.setLong(4, runId);
                ps.setArray(5, c.createArrayOf("bigint", v3));
                ps.setArray(6, c.createArrayOf("bigint", v2));
                ps.setArray(7, c.createArrayOf("boolean", enriched));
                ps.executeUpdate();
            }
        }
    }

    private static String sourceTable(String v3Table) {
        return switch (v3Table) {
            case "orders", "trades" -> "trades";
            default -> v3Table;
        };
    }

    private void recordSources(Connection c, long runId, String v2Table, Map<Long, String> outcome, Map<Long, Long> hashes) throws SQLException {
        if (outcome.isEmpty()) {
            return;
        }
        Long[] ids = outcome.keySet().toArray(new Long[0]);
        Long[] h = new Long[ids.length];
        String[] o = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            h[i] = hashes.get(ids[i]);
            o[i] = outcome.get(ids[i]);
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO ferry_v2.source_rows (v2_table, v2_id, row_hash, run_id, outcome)
                SELECT ?, u.id, u.h, ?, u.o FROM unnest(?::bigint[], ?::bigint[], ?::text[]) AS u(id, h, o)
                ON CONFLICT (v2_table, v2_id) DO UPDATE SET row_hash = excluded.row_hash, run_id = excluded.run_id,
                    outcome = excluded.outcome, deleted = false""")) {
            ps.setString(1, v2Table);
            ps.setLong(2, runId);
            ps.setArray(3, c.createArrayOf("bigint", ids));
            ps.setArray(4, c.createArrayOf("bigint", h));
            ps.setArray(5, c.createArrayOf("text", o));
            ps.executeUpdate();
        }
    }

    /**
     * A row PostgreSQL refused (a constraint of the platform's that the mapping does not know): kept
     * as a rejected row with the database's reason, and its hash, so it is tried again once it changes.
     */
    public void refused(Connection c, long runId, V3Page one, Mapped m, String reason, V2Result result) throws SQLException {
        String v2Table = one.table.name();
        Mapped r = new Mapped(v2Table, m.v2Id(), m.rowHash());
        r.reject(null, null, "v3 refused the row: " + reason);
        V2Result.TableCounts counts = result.table(v2Table);
        counts.addRead(1);
        counts.addRejected(1);
        saveProblems(c, runId, v2Table, List.of(r), new V3Page(one.table, one.page, one.lo, one.hi, null), result);
        recordSources(c, runId, v2Table, Map.of(m.v2Id(), "rejected"), Map.of(m.v2Id(), m.rowHash()));
    }

    private void savePage(Connection c, long runId, V3Page p) throws SQLException {
        if (!p.checkpoint) {
            return;
        }
        if (p.digest == null) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_v2.pages WHERE v2_table = ? AND page = ?")) {
                ps.setString(1, p.table.name());
                ps.setLong(2, p.page);
                ps.executeUpdate();
            }
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_v2.pages (v2_table, page, digest, run_id) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (v2_table, page) DO UPDATE SET digest = excluded.digest, run_id = excluded.run_id")) {
            ps.setString(1, p.table.name());
            ps.setLong(2, p.page);
            ps.setString(3, p.digest);
            ps.setLong(4, runId);
            ps.executeUpdate();
        }
    }

}
