package dev.ferry.bot.validate;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.bot.BotFileImport;
import dev.ferry.bot.BotFlow;
import dev.ferry.bot.RecordStager;
import dev.ferry.bot.read.BotFolder;
import dev.ferry.bot.transform.FillRow;
import dev.ferry.bot.transform.OrderRow;
import dev.ferry.bot.transform.PaperOrdersMapper;
import dev.ferry.bot.transform.PendingOrdersMapper;
import dev.ferry.bot.transform.PositionRow;
import dev.ferry.bot.transform.StagedRecord;
import dev.ferry.bot.transform.TradesHistoryMapper;
import dev.ferry.bot.transform.TransactionsMapper;
import dev.ferry.bot.transform.Values;
import dev.ferry.bot.validate.LoadedRows.DbFill;
import dev.ferry.bot.validate.LoadedRows.DbOrder;
import dev.ferry.bot.validate.LoadedRows.DbPosition;
import dev.ferry.core.db.Database;
import dev.ferry.core.db.DatabaseUnavailableException;
import dev.ferry.core.report.ValidationResult.Mismatch;
import dev.ferry.core.report.ValidationResult.Source;
import dev.ferry.core.report.ValidationResult;

/**
 * Validates a bot's data folder against the database record by record: each source record
 * is staged exactly as an import stages it, then must either match the rows its run wrote
 * (symbol, side, quantity, prices, times, status, ids) or be one of that run's listed
 * rejections or duplicates; each row those runs wrote must be claimed by a source record.
 * The seeds' checks run over the whole folder. The files are only read.
 */
public final class BotDataValidator {

    static final String RECORDS = "records";
    static final String MATCHED = "matched";
    static final String REJECTED = "known rejections";
    static final String DUPLICATES = "known duplicates";
    static final String ROLLED_BACK = "rolled back";
    static final String MISSING = "missing";
    static final String MISMATCHED = "mismatched";
    static final String UNTRACED = "rows without a source record";
    /** Records whose dedup keys are looked up with one query. */
    private static final int CHUNK = 5_000;

    private final Database db;
    private final ObjectMapper json;
    private final Values values;
    private final BotFolder folder;
    private final BotFileImport imports;
    private final RecordStager stager;
    private int readAheadKeys = LoadedRows.WINDOW;

    public BotDataValidator(Database db, ObjectMapper json, Values values, BotFolder folder, BotFileImport imports) {
        this.db = db;
        this.json = json;
        this.values = values;
        this.folder = folder;
        this.imports = imports;
        this.stager = new RecordStager(json);
    }

    /** How many loaded keys are read ahead of the file before the rest are looked up by index; tests lower it to reach that path. */
    void readAheadKeys(int keys) {
        this.readAheadKeys = keys;
    }

    private record Waiting(StagedRecord record, JsonNode node) {
    }

    /** The seeds' checks gather their evidence over every file of the folder. */
    private static final class FolderEvidence {
        long trades;
        long tradesWithOrders;
        final Set<String> pendingBrokerIds = new HashSet<>();
        long paperRecordsLoaded;
        final List<Long> paperRuns = new ArrayList<>();
        final List<Long> rolledBackRuns = new ArrayList<>();
        final Set<String> files = new HashSet<>();
        long records;
        long rolledBack;
    }

    public ValidationResult validate(Long userId, String dataDir) {
        long started = System.nanoTime();
        if (userId == null || dataDir == null || dataDir.isBlank()) {
            throw new IllegalArgumentException("validation needs a user id and a data folder");
        }
        Path root = Path.of(dataDir).toAbsolutePath().normalize();
        ValidationResult result = new ValidationResult("user " + userId + ", " + root);
        List<BotFolder.BotFile> files;
        try {
            files = folder.filesInOrder(root.toString(), userId);
        } catch (IOException | IllegalArgumentException e) {
            result.error("cannot read the data folder: " + e.getMessage());
            return result.finish(started);
        }
        if (files.isEmpty()) {
            result.error("no bot files in " + root + " (expected trades_history*.json, pending_orders*.json or paper_trading/...)");
            return result.finish(started);
        }
        FolderEvidence evidence = new FolderEvidence();
        try (Connection c = db.connection()) {
            // not read-only: a file rewritten in another order has its runs' keys indexed in a temporary table;
            // nothing else is written, and the transaction is rolled back
            c.setAutoCommit(false);
            // one snapshot for the whole folder: a load committing meanwhile cannot make it disagree with itself
            try (var st = c.createStatement()) {
                st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
            Map<String, DbPosition> positions = LoadedRows.openPositions(c, userId);
            for (BotFolder.BotFile f : files) {
                validateFile(c, result, evidence, userId, imports.flow(f.flow()), Path.of(f.path()), positions);
            }
            folderChecks(c, result, evidence, userId);
            c.rollback();
        } catch (SQLException e) {
            throw DatabaseUnavailableException.wrap("validating " + root, e);
        }
        if (evidence.records > 0 && evidence.rolledBack == evidence.records && result.isValid()) {
            result.note("The database is back at its state before these files were loaded: every run that loaded them was rolled back "
                    + "and none of their rows remain.");
        }
        return result.finish(started);
    }

    private void validateFile(Connection c, ValidationResult result, FolderEvidence evidence, long userId, BotFlow flow, Path file,
                              Map<String, DbPosition> positions) throws SQLException {
        String name = file.getFileName().toString();
        Source source = result.source(name, flow.name());
        for (String count : List.of(RECORDS, MATCHED, REJECTED, DUPLICATES, ROLLED_BACK, MISSING, MISMATCHED, UNTRACED)) {
            source.add(count, 0);
        }
        evidence.files.add(flow.name() + "/" + name);
        // the file is read while the database sorts the rows it will be compared with
        FileReading reading = new FileReading(flow, file);
        Set<String> kinds = new HashSet<>(flow.arrays().values());
        if (flow.bareArrayKind() != null) {
            kinds.add(flow.bareArrayKind());
        }
        try (reading; LoadedRows rows = LoadedRows.read(c, userId, flow.name(), name, kinds,
                TransactionsMapper.TRANSACTION.equals(flow.bareArrayKind()), readAheadKeys)) {
            evidence.rolledBackRuns.addAll(rows.rolledBackRuns);
            if (PaperOrdersMapper.PAPER_ORDER.equals(flow.bareArrayKind())) {
                evidence.paperRuns.addAll(rows.runs);
            }
            FileCheck check = new FileCheck(result, source, evidence, rows, positions, flow, name);
            for (Object item = reading.next(); ; item = reading.next()) {
                if (item instanceof List<?> chunk) {
                    check.process(cast(chunk), null);
                } else if (item instanceof FileReading.End end) {
                    Instant lastRun = values.lastRun(end.topLevel().get("last_run"));
                    for (int i = 0; i < end.waiting().size(); i += CHUNK) {
                        check.process(end.waiting().subList(i, Math.min(i + CHUNK, end.waiting().size())), lastRun);
                    }
                    break;
                } else if (item instanceof JsonProcessingException e) {
                    var loc = e.getLocation();
                    result.error(name + " is not valid JSON" + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr())
                            + ": " + e.getOriginalMessage() + "; no import can load it");
                    return;
                } else if (item instanceof IOException e) {
                    result.error(name + ": " + e.getMessage());
                    return;
                } else if (item instanceof RuntimeException e) {
                    throw e;
                }
            }
            rows.leftOver(o -> untraced(result, source, name, "orders.id=" + o.id(), o.record(),
                            o.side() + " " + FieldComparison.show(o.quantity()) + " " + o.symbol() + " " + o.status() + " from run " + o.runId()),
                    f -> untraced(result, source, name, "fills.id=" + f.id(), f.record(),
                            FieldComparison.show(f.quantity()) + " @ " + FieldComparison.show(f.price()) + " from run " + f.runId()));
            if (rows.runs.isEmpty() && rows.rolledBackRuns.isEmpty()) {
                result.warning(name + " (" + flow.name() + ") was never loaded for user " + userId);
            }
        }
    }

    private static void untraced(ValidationResult result, Source source, String name, String row, int record, String what) {
        source.add(UNTRACED, 1);
        result.mismatch(source, new Mismatch(name, "(no source record " + record + ")", row, "(row)", "(none)", what));
    }

    @SuppressWarnings("unchecked")
    private static List<Waiting> cast(List<?> chunk) {
        return (List<Waiting>) chunk;
    }

    /**
     * The file read and staged by a thread of its own, handed over a chunk of records at a time,
     * so that parsing and mapping overlap with the database side of the comparison (one
     * connection, used by the comparing thread only). Items: a chunk (List of Waiting), then
     * End, or the exception that stopped the reading.
     */
    private final class FileReading implements AutoCloseable {
        record End(Map<String, JsonNode> topLevel, List<Waiting> waiting) {
        }

        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(3);
        private final Thread thread;

        FileReading(BotFlow flow, Path file) {
            thread = new Thread(() -> {
                try (InputStream in = Files.newInputStream(file)) {
                    List<Waiting> waiting = new ArrayList<>();
                    List<List<Waiting>> chunk = new ArrayList<>(List.of(new ArrayList<>(CHUNK)));
                    Map<String, JsonNode> topLevel = flow.reader(json).read(in, (kind, no, path, line, node) -> {
                        StagedRecord s = stager.stage(flow, kind, no, path, line, node);
                        if (s.waitsForLastRun()) {
                            waiting.add(new Waiting(s, node)); // its time is the file's last_run, read at the end
                            return;
                        }
                        chunk.get(0).add(new Waiting(s, node));
                        if (chunk.get(0).size() >= CHUNK) {
                            hand(chunk.set(0, new ArrayList<>(CHUNK)));
                        }
                    });
                    hand(chunk.get(0));
                    hand(new End(topLevel, waiting));
                } catch (InterruptedIOException e) {
                    // the comparison stopped first
                } catch (IOException | RuntimeException | Error e) {
                    try {
                        // an Error too, or the comparing thread would wait for a chunk that never comes
                        hand(e instanceof Error err ? new IllegalStateException("reading " + file + " failed: " + err, err) : e);
                    } catch (InterruptedIOException ignored) {
                        // the comparison stopped first
                    }
                }
            }, "ferry-validate-read");
            thread.setDaemon(true);
            thread.start();
        }

        private void hand(Object item) throws InterruptedIOException {
            try {
                queue.put(item);
            } catch (InterruptedException e) {
                throw new InterruptedIOException("validation stopped");
            }
        }

        Object next() {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while validating", e);
            }
        }

        /** Stops the reading thread, should the comparison end before the file does. */
        @Override
        public void close() {
            thread.interrupt();
        }
    }

    /**
     * A file's records, checked a chunk at a time: the chunk's dedup keys are looked up with one
     * query, then each record takes its rows from the cursors. Memory holds a few chunks, not the file.
     */
    private final class FileCheck {
        private final ValidationResult result;
        private final Source source;
        private final FolderEvidence evidence;
        private final LoadedRows rows;
        private final Map<String, DbPosition> positions;
        private final BotFlow flow;
        private final String name;
        /** The (run, record) pairs a source record has claimed, by run: a second record with the same key claims nothing. */
        private final Map<Long, BitSet> claimed = new HashMap<>();

        FileCheck(ValidationResult result, Source source, FolderEvidence evidence, LoadedRows rows, Map<String, DbPosition> positions,
                  BotFlow flow, String name) {
            this.result = result;
            this.source = source;
            this.evidence = evidence;
            this.rows = rows;
            this.positions = positions;
            this.flow = flow;
            this.name = name;
        }

        /** The chunk's dedup keys are looked up with one query, then each record is compared. */
        void process(List<Waiting> chunk, Instant lastRun) throws SQLException {
            List<String> kinds = new ArrayList<>(chunk.size());
            List<String> keys = new ArrayList<>(chunk.size());
            for (Waiting w : chunk) {
                if (!w.record().isRejected()) {
                    kinds.add(w.record().kind());
                    keys.add(w.record().dedupKey());
                }
            }
            Map<String, long[]> loaded = rows.loadedKeys(kinds, keys);
            for (Waiting w : chunk) {
                check(w.record(), w.node(), loaded, lastRun);
            }
        }

        /** False when another record has claimed this (run, record) already. */
        private boolean claim(long[] loaded) {
            BitSet run = claimed.computeIfAbsent(loaded[0], k -> new BitSet());
            if (run.get((int) loaded[1])) {
                return false;
            }
            run.set((int) loaded[1]);
            return true;
        }

        /** One source record against what the database holds for it. */
        private void check(StagedRecord s, JsonNode node, Map<String, long[]> keys, Instant lastRun) throws SQLException {
            source.add(RECORDS, 1);
            evidence.records++;
            String where = s.path() + " (record " + s.recordNo() + ", line " + s.line() + ")";
            if (PendingOrdersMapper.BROKER_ORDER.equals(s.kind()) && !s.isRejected() && s.brokerOrderId() != null && !rows.runs.isEmpty()) {
                evidence.pendingBrokerIds.add(s.brokerOrderId());
            }
            long[] loaded = s.isRejected() ? null : keys.get(s.kind() + '|' + s.dedupKey());
            if (loaded != null && !claim(loaded)) {
                loaded = null; // a second record with the same key: its run must have listed it as a duplicate
            }
            if (loaded == null) {
                if (rejection(rows, s, node) != null) {
                    source.add(REJECTED, 1);
                } else if (!s.isRejected() && rows.duplicateKeys.contains(s.kind() + '|' + s.dedupKey())) {
                    source.add(DUPLICATES, 1);
                } else if (!rows.rolledBackRuns.isEmpty()) {
                    source.add(ROLLED_BACK, 1);
                    evidence.rolledBack++;
                } else {
                    source.add(MISSING, 1);
                    result.mismatch(source, new Mismatch(name, where, "(none)", "(record)",
                            s.isRejected() ? "rejected: " + s.rejectReason() : describe(s), "not in the database: no run loaded, rejected or skipped it"));
                }
                return;
            }
            long run = loaded[0];
            s = renumbered(s, (int) loaded[1]);
            boolean differs;
            if (s.position() != null) {
                differs = checkPosition(result, source, name, where, run, s, positions.get(s.symbol()));
            } else {
                LoadedRows.Group g = rows.take(run, s.recordNo());
                List<DbFill> unclaimed = new ArrayList<>(g.fills());
                if (s.fill() != null) {
                    differs = checkTransaction(result, source, name, where, run, s, g.fills());
                    unclaimed.clear();
                } else {
                    differs = checkOrders(result, source, g, unclaimed, name, where, run, s, lastRun, flow.origSource());
                    if (TradesHistoryMapper.TRADE.equals(s.kind())) {
                        evidence.trades++;
                        if (!g.orders().isEmpty()) {
                            evidence.tradesWithOrders++;
                        }
                    }
                    if (PaperOrdersMapper.PAPER_ORDER.equals(s.kind())) {
                        evidence.paperRecordsLoaded++;
                    }
                }
                for (DbFill f : unclaimed) {
                    untraced(result, source, name, "fills.id=" + f.id(), f.record(),
                            FieldComparison.show(f.quantity()) + " @ " + FieldComparison.show(f.price()) + " from run " + f.runId());
                }
            }
            source.add(differs ? MISMATCHED : MATCHED, 1);
        }
    }

    /** unclaimed: the group's fills; those that belong to one of its orders are taken out. */
    private static boolean checkOrders(ValidationResult result, Source source, LoadedRows.Group g, List<DbFill> unclaimed, String name,
                                       String where, long run, StagedRecord s, Instant lastRun, String origSource) {
        List<DbOrder> found = g.orders();
        List<DbFill> fills = g.fills();
        if (found.size() != s.orders().size()) {
            result.mismatch(source, new Mismatch(name, where, "(run " + run + ")", "orders", s.orders().size() + " order rows",
                    found.size() + " order rows"));
            unclaimed.clear();
            return true;
        }
        boolean differs = false;
        for (int i = 0; i < found.size(); i++) {
            OrderRow e = s.orders().get(i);
            DbOrder o = found.get(i);
            differs |= new FieldComparison(result, source, where, "orders.id=" + o.id())
                    .field("symbol", s.symbol(), o.symbol())
                    .field("side", e.side(), o.side())
                    .field("order_type", e.orderType(), o.orderType())
                    .field("quantity", e.quantity(), o.quantity())
                    .field("price", e.price(), o.price())
                    .field("avg_price", e.avgPrice(), o.avgPrice())
                    .field("status", e.status(), o.status())
                    .field("placed_at", e.placedAt() == null ? lastRun : e.placedAt(), o.placedAt())
                    .field("filled_at", e.filledAt(), o.filledAt())
                    .field("closed_at", e.closedAt(), o.closedAt())
                    .field("order_id", e.orderId(), o.orderId())
                    .field("broker_order_id", e.brokerOrderId(), o.brokerOrderId())
                    .field("orig_source", origSource, o.origSource())
                    .differs();
            List<DbFill> own = fills.stream().filter(f -> f.orderPk() == o.id()).toList();
            unclaimed.removeAll(own);
            if (own.size() != (e.withFill() ? 1 : 0)) {
                differs = true;
                result.mismatch(source, new Mismatch(name, where, "orders.id=" + o.id(), "fills", e.withFill() ? "1 fill" : "no fill",
                        own.size() + " fills"));
            } else if (e.withFill()) {
                DbFill f = own.get(0);
                differs |= new FieldComparison(result, source, where, "fills.id=" + f.id())
                        .field("fill quantity", e.quantity(), f.quantity())
                        .field("fill price", e.avgPrice(), f.price())
                        .field("fill_value", e.quantity().multiply(e.avgPrice()), f.fillValue())
                        .field("fill filled_at", e.filledAt(), f.filledAt())
                        .differs();
            }
        }
        return differs;
    }

    private static boolean checkTransaction(ValidationResult result, Source source, String name, String where, long run, StagedRecord s,
                                            List<DbFill> found) {
        if (found.size() != 1) {
            result.mismatch(source, new Mismatch(name, where, "(run " + run + ")", "fills", "1 fill", found.size() + " fills"));
            return true;
        }
        FillRow e = s.fill();
        DbFill f = found.get(0);
        FieldComparison cmp = new FieldComparison(result, source, where, "fills.id=" + f.id())
                .field("quantity", e.quantity(), f.quantity())
                .field("price", e.price(), f.price())
                .field("fill_value", e.fillValue(), f.fillValue())
                .field("charges", e.charges(), f.charges())
                .field("filled_at", e.filledAt(), f.filledAt());
        if (e.orderRef() != null) {
            cmp.field("order_id", e.orderRef(), f.orderRef());
        }
        return cmp.differs();
    }

    /** Only the latest holdings file speaks for a position: one a later run updated is not compared with an older file. */
    private boolean checkPosition(ValidationResult result, Source source, String name, String where, long run, StagedRecord s, DbPosition p) {
        if (p == null) {
            result.mismatch(source, new Mismatch(name, where, "(none)", "position", "open position in " + s.symbol(), "no open position"));
            return true;
        }
        if (p.runId() == null || p.runId() != run) {
            if (p.runId() != null && p.runId() > run) {
                return false;
            }
            result.mismatch(source, new Mismatch(name, where, "positions.id=" + p.id(), "ferry_run_id", String.valueOf(run),
                    String.valueOf(p.runId())));
            return true;
        }
        PositionRow e = s.position();
        return new FieldComparison(result, source, where, "positions.id=" + p.id())
                .field("quantity", e.quantity(), p.quantity())
                .field("avg_price", e.avgPrice(), p.avgPrice())
                .field("unrealized_pnl", e.unrealizedPnl(), p.unrealizedPnl())
                .differs();
    }

    /** The seeds' checks, over the whole folder. */
    private void folderChecks(Connection c, ValidationResult result, FolderEvidence evidence, long userId) throws SQLException {
        result.check("each trade has at least one order", evidence.tradesWithOrders == evidence.trades,
                evidence.tradesWithOrders + " of " + evidence.trades + " loaded trades have orders");
        long found = 0;
        if (!evidence.pendingBrokerIds.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(DISTINCT broker_order_id) FROM trading.orders WHERE user_id = ? AND broker_order_id = ANY(?)")) {
                ps.setLong(1, userId);
                ps.setArray(2, c.createArrayOf("text", evidence.pendingBrokerIds.toArray()));
                found = single(ps);
            }
        }
        result.check("every pending broker order id exists", found == evidence.pendingBrokerIds.size(),
                found + " of " + evidence.pendingBrokerIds.size() + " broker order ids of loaded pending files are in trading.orders");
        long paperRows = 0;
        if (!evidence.paperRuns.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM trading.orders WHERE user_id = ? AND orig_source = 'paper_trading' AND ferry_run_id = ANY(?)")) {
                ps.setLong(1, userId);
                ps.setArray(2, c.createArrayOf("bigint", evidence.paperRuns.toArray()));
                paperRows = single(ps);
            }
        }
        result.check("paper order counts match", paperRows == evidence.paperRecordsLoaded,
                evidence.paperRecordsLoaded + " paper orders loaded from the files, " + paperRows + " paper orders in trading.orders");
        long leftovers = 0;
        if (!evidence.rolledBackRuns.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT (SELECT count(*) FROM trading.orders WHERE ferry_run_id = ANY(?))
                         + (SELECT count(*) FROM trading.fills WHERE ferry_run_id = ANY(?))
                         + (SELECT count(*) FROM trading.positions WHERE ferry_run_id = ANY(?))""")) {
                var ids = c.createArrayOf("bigint", evidence.rolledBackRuns.toArray());
                ps.setArray(1, ids);
                ps.setArray(2, ids);
                ps.setArray(3, ids);
                leftovers = single(ps);
            }
        }
        result.check("no rows remain from rolled-back runs", leftovers == 0,
                leftovers + " rows of " + evidence.rolledBackRuns.size() + " rolled-back runs remain");
        otherSources(c, result, evidence, userId);
    }

    /** Rows this user got from files that are not in the folder are not checked; say so. */
    private static void otherSources(Connection c, ValidationResult result, FolderEvidence evidence, long userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT r.flow || '/' || r.source_file, count(*) FROM trading.orders o JOIN ferry.runs r ON r.id = o.ferry_run_id
                WHERE o.user_id = ? GROUP BY 1 ORDER BY 1""")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!evidence.files.contains(rs.getString(1))) {
                        result.warning(rs.getLong(2) + " orders of user " + userId + " came from " + rs.getString(1)
                                + ", which is not in this folder; they were not checked");
                    }
                }
            }
        }
    }

    private static long single(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }


    /** The reason the record's run gave for rejecting it, found by its raw text or, failing that, by its place in the file. */
    private String rejection(LoadedRows rows, StagedRecord s, JsonNode node) {
        String reason = s.raw() == null ? null : rows.rejectsByRaw.get(s.raw());
        if (reason == null) {
            try {
                reason = rows.rejectsByRaw.get(json.writeValueAsString(node));
            } catch (JsonProcessingException e) {
                reason = null;
            }
        }
        return reason != null ? reason : rows.rejectsByPlace.get(s.recordNo() + "|" + s.path());
    }

    /** The record under the number its run gave it, which is how its rows name it. */
    private static StagedRecord renumbered(StagedRecord s, int recordNo) {
        return recordNo == s.recordNo() ? s : new StagedRecord(recordNo, s.path(), s.line(), s.kind(), s.dedupKey(), s.rejectField(),
                s.rejectReason(), s.raw(), s.symbol(), s.brokerOrderId(), s.metadata(), s.orders(), s.position(), s.fill());
    }

    private static String describe(StagedRecord s) {
        if (s.position() != null) {
            return "holding " + s.symbol() + " " + FieldComparison.show(s.position().quantity());
        }
        if (s.fill() != null) {
            return s.fill().side() + " " + FieldComparison.show(s.fill().quantity()) + " " + s.symbol() + " @ " + FieldComparison.show(s.fill().price());
        }
        OrderRow o = s.orders().get(0);
        return o.side() + " " + FieldComparison.show(o.quantity()) + " " + s.symbol() + " (" + o.status() + ")";
    }
}
