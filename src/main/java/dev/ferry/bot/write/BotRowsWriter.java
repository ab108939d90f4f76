package dev.ferry.bot.write;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;

import dev.ferry.bot.state.OrderIds;
import dev.ferry.bot.transform.FillRow;
import dev.ferry.bot.transform.OrderRow;
import dev.ferry.bot.transform.PendingOrdersMapper;
import dev.ferry.bot.transform.PositionRow;
import dev.ferry.bot.transform.StagedRecord;
import dev.ferry.core.db.Sql;
import dev.ferry.core.report.RejectedRecord;
import dev.ferry.core.report.RunResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one bot-file run inside the caller's transaction. Orders, their fills and the dedup
 * keys go to PostgreSQL in batches while the file is still being read ({@link CopyBatches});
 * rejects, duplicates, holdings and transactions are spooled to temporary files and
 * written at the end, after the orders they point to (holdings as updates or inserts of open
 * positions, transactions as fills of the paper orders they match). Nothing is
 * visible until the commit.
 */
public final class BotRowsWriter implements AutoCloseable {

    private static final int SAMPLE_REJECTS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(BotRowsWriter.class);

    private final Connection c;
    private final OrderIds ids;
    private final RunResult r;
    private final String origSource;
    private final String user;
    private final String run;
    private final long userId;
    private final long runId;
    private final CopyBatches batches;
    private final CopyFile rejects;
    private final CopyFile duplicates;
    private final CopyFile positions;
    private final CopyFile transactions;
    private final long toleranceSeconds;
    private final Set<String> positionSymbols = new HashSet<>();
    private final List<Waiting> waitingForLastRun = new ArrayList<>();
    private long loaded;

    /**
     * batchRecords: records per COPY batch; batchForeignKeys: check the platform's foreign keys
     * once per batch where that is safe (see {@link BatchForeignKeys}), else PostgreSQL's
     * triggers check them row by row.
     */
    public BotRowsWriter(Connection c, OrderIds ids, RunResult r, String origSource, int batchRecords, boolean batchForeignKeys,
                         long toleranceSeconds) throws SQLException, IOException {
        this.c = c;
        this.ids = ids;
        this.r = r;
        this.origSource = origSource;
        this.user = Long.toString(r.getUserId());
        this.run = Long.toString(r.getRunId());
        this.userId = r.getUserId();
        this.runId = r.getRunId();
        this.rejects = new CopyFile("rejects");
        this.duplicates = new CopyFile("duplicates");
        this.positions = new CopyFile("positions");
        this.transactions = new CopyFile("transactions");
        this.toleranceSeconds = toleranceSeconds;
        BatchForeignKeys fk = batchForeignKeys ? BatchForeignKeys.detect(c, r.getUserId(), r.getSourceFile()) : null;
        this.batches = new CopyBatches(c, fk, batchRecords);
    }

    /**
     * A record seen for the first time: its orders, fills and dedup key, and its broker
     * order id as a key of its own when this record is the first to bring it.
     */
    public void load(StagedRecord s, boolean brokerKey) throws IOException, SQLException {
        if (s.position() != null) {
            position(s);
            return;
        }
        if (s.fill() != null) {
            FillRow f = s.fill();
            transactions.row().number(s.recordNo()).text(s.path()).number(s.line()).text(s.kind()).text(s.dedupKey()).text(f.orderRef())
                    .text(s.symbol()).text(f.side()).number(f.quantity()).number(f.price()).number(f.fillValue()).number(f.charges())
                    .time(f.filledAt()).text(s.metadata()).text(s.raw()).endRow();
            return;
        }
        if (s.waitsForLastRun()) {
            waitingForLastRun.add(new Waiting(s, brokerKey)); // a failed order takes the file's last_run, known only at the end
            return;
        }
        write(s, null);
        keys(s, brokerKey);
        batches.endRecord(s.recordNo());
    }

    private void write(StagedRecord s, Instant lastRun) throws IOException, SQLException {
        for (OrderRow o : s.orders()) {
            long id = ids.next();
            batches.order().int8(id).int8(userId).text(s.symbol()).text(o.side()).text(o.orderType())
                    .numeric(o.quantity()).numeric(o.price()).numeric(o.avgPrice()).text(o.status())
                    .timestamptz(o.placedAt() == null ? lastRun : o.placedAt()).timestamptz(o.filledAt()).timestamptz(o.closedAt())
                    .text(origSource).text(o.orderId()).text(o.brokerOrderId()).jsonb(s.metadata()).int8(runId).int4(s.recordNo())
                    .endRow();
            if (o.withFill()) {
                batches.fill(id).int8(id).int8(userId).numeric(o.quantity()).numeric(o.avgPrice())
                        .numeric(o.quantity().multiply(o.avgPrice())).timestamptz(o.filledAt()).int8(runId).int4(s.recordNo()).endRow();
            }
        }
    }

    /** One open position per symbol and file: a second entry for the symbol could not say which one holds. */
    private void position(StagedRecord s) throws IOException {
        if (!positionSymbols.add(s.symbol())) {
            reject(StagedRecord.rejected(s.recordNo(), s.path(), s.line(), s.kind(), "symbol",
                    "a second holding for " + s.symbol() + " in the same file", s.metadata()));
            return;
        }
        PositionRow p = s.position();
        positions.row().number(s.recordNo()).text(s.symbol()).number(p.quantity()).number(p.avgPrice()).number(p.unrealizedPnl())
                .time(p.openedAt()).text(s.metadata()).endRow();
        keys(s, false);
    }

    private void keys(StagedRecord s, boolean brokerKey) throws IOException {
        loaded++;
        batches.key().text(user).text(s.kind()).text(s.dedupKey()).text(run).number(s.recordNo()).endRow();
        if (brokerKey) {
            batches.key().text(user).text(PendingOrdersMapper.BROKER_ORDER).text(s.brokerOrderId()).text(run).number(s.recordNo()).endRow();
        }
    }

    public void reject(StagedRecord s) throws IOException {
        rejects.row().text(run).text(r.getSourceFile()).number(s.recordNo()).text(s.path()).number(s.line())
                .text(s.rejectField()).text(s.rejectReason()).text(s.raw()).endRow();
        if (r.getRejects().size() < SAMPLE_REJECTS) {
            r.getRejects().add(new RejectedRecord(r.getSourceFile(), s.recordNo(), s.path(), s.line(), s.rejectField(), s.rejectReason(), s.raw()));
        }
    }

    public void duplicate(StagedRecord s) throws IOException {
        duplicates.row().number(s.recordNo()).text(s.path()).text(s.kind()).text(s.dedupKey()).endRow();
    }

    /**
     * Sends the last batch of orders, fills and keys, then copies rejects and duplicates, and
     * sets the run's counts from what PostgreSQL acknowledged.
     */
    public void finish(Instant lastRun) throws IOException, SQLException {
        for (Waiting w : waitingForLastRun) {
            StagedRecord s = w.record();
            if (lastRun != null) {
                write(s, lastRun);
                keys(s, w.brokerKey());
            } else {
                reject(StagedRecord.rejected(s.recordNo(), s.path(), s.line(), s.kind(), "first_failed_at",
                        "failed order has no first_failed_at and the file has no last_run", s.raw()));
            }
        }
        long[] sent = batches.flush();
        r.setOrders(sent[0]);
        r.setFills(sent[1]);
        double[] secs = batches.seconds();
        LOG.info("{}: PostgreSQL took {} orders in {} s, {} fills in {} s, checked their foreign keys in {} s, took the keys in {} s",
                r.getSourceFile(), sent[0], String.format("%.2f", secs[0]), sent[1], String.format("%.2f", secs[1]),
                String.format("%.2f", secs[2]), String.format("%.2f", secs[3]));
        long[] tx = matchTransactions();
        r.setFills(r.getFills() + tx[0]);
        r.setLoaded(loaded + tx[0]);
        r.setRejected(rejects.copyInto(c, "COPY ferry.rejects (run_id, source_file, record_no, record_path, line, field, reason, raw) FROM STDIN")
                + tx[1]);
        r.setPositions(upsertPositions());
        if (duplicates.rows() > 0) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TEMP TABLE ferry_dups (record_no integer, record_path text, kind text, key text) ON COMMIT DROP");
            }
            duplicates.copyInto(c, "COPY ferry_dups FROM STDIN");
            // the first occurrence may be in this very run (a duplicate inside the file) or in an earlier one
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO ferry.duplicates (run_id, record_no, record_path, kind, key, first_run_id, first_record_no)
                    SELECT ?, d.record_no, d.record_path, d.kind, d.key, k.run_id, k.record_no
                    FROM ferry_dups d LEFT JOIN ferry.record_keys k ON k.user_id = ? AND k.kind = d.kind AND k.key = d.key""")) {
                // the keys have no index by key (Ferry schema 12): the user's keys are joined by hash
                ps.setLong(1, r.getRunId());
                ps.setLong(2, r.getUserId());
                r.setDuplicates(ps.executeUpdate());
            }
        }
    }

    /**
     * Each holding updates the user's open position in its symbol, or opens one. What a
     * position was before is kept in ferry.position_changes for rollback.
     */
    private long upsertPositions() throws IOException, SQLException {
        if (positions.rows() == 0) {
            return 0;
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE ferry_positions (record_no integer, symbol text, quantity numeric, avg_price numeric, "
                    + "unrealized_pnl numeric, opened_at timestamptz, metadata jsonb) ON COMMIT DROP");
        }
        positions.copyInto(c, "COPY ferry_positions FROM STDIN");
        long user = r.getUserId();
        long runId = r.getRunId();
        Sql.update(c, """
                INSERT INTO ferry.position_changes (run_id, position_id, action, before)
                SELECT ?, p.id, 'update', to_jsonb(p) FROM trading.positions p
                JOIN ferry_positions s ON p.user_id = ? AND p.symbol = s.symbol AND p.closed_at IS NULL""", runId, user);
        long updated = Sql.update(c, """
                UPDATE trading.positions p SET quantity = s.quantity, avg_price = s.avg_price, unrealized_pnl = s.unrealized_pnl,
                       metadata = s.metadata, ferry_run_id = ?
                FROM ferry_positions s WHERE p.user_id = ? AND p.symbol = s.symbol AND p.closed_at IS NULL""", runId, user);
        // a new position opens at the holding's last_updated, or at the load when the bot wrote none
        long inserted = Sql.update(c, """
                WITH opened AS (
                    INSERT INTO trading.positions (user_id, symbol, quantity, avg_price, unrealized_pnl, opened_at, metadata, ferry_run_id)
                    SELECT ?, s.symbol, s.quantity, s.avg_price, s.unrealized_pnl, coalesce(s.opened_at, now()), s.metadata, ?
                    FROM ferry_positions s
                    WHERE NOT EXISTS (SELECT 1 FROM trading.positions p WHERE p.user_id = ? AND p.symbol = s.symbol AND p.closed_at IS NULL)
                    RETURNING id)
                INSERT INTO ferry.position_changes (run_id, position_id, action) SELECT ?, id, 'insert' FROM opened""",
                user, runId, user, runId);
        return updated + inserted;
    }

    /**
     * Transactions become fills of the paper orders they name, or, without an order_id, of
     * the paper order of the same symbol and side nearest in time. One that matches no order
     * is rejected with that reason. Returns {matched, unmatched}.
     */
    private long[] matchTransactions() throws IOException, SQLException {
        if (transactions.rows() == 0) {
            return new long[] {0, 0};
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE ferry_tx (record_no integer, record_path text, line integer, kind text, key text, order_ref text, "
                    + "symbol text, side text, quantity numeric, price numeric, fill_value numeric, charges numeric, filled_at timestamptz, "
                    + "metadata jsonb, raw text, order_pk bigint) ON COMMIT DROP");
        }
        transactions.copyInto(c, "COPY ferry_tx (record_no, record_path, line, kind, key, order_ref, symbol, side, quantity, price, "
                + "fill_value, charges, filled_at, metadata, raw) FROM STDIN");
        long user = r.getUserId();
        long runId = r.getRunId();
        Sql.update(c, """
                UPDATE ferry_tx t SET order_pk = o.id FROM trading.orders o
                WHERE t.order_ref IS NOT NULL AND o.user_id = ? AND o.orig_source = 'paper_trading' AND o.order_id = t.order_ref""", user);
        Sql.update(c, """
                UPDATE ferry_tx t SET order_pk = (
                    SELECT o.id FROM trading.orders o
                    WHERE o.user_id = ? AND o.orig_source = 'paper_trading' AND o.symbol = t.symbol AND o.side = t.side
                      AND abs(extract(epoch FROM coalesce(o.filled_at, o.placed_at) - t.filled_at)) <= ?
                    ORDER BY abs(extract(epoch FROM coalesce(o.filled_at, o.placed_at) - t.filled_at)), o.id
                    LIMIT 1)
                WHERE t.order_ref IS NULL""", user, toleranceSeconds);
        long matched = Sql.update(c, """
                INSERT INTO trading.fills (order_id, user_id, quantity, price, fill_value, charges, filled_at, metadata, ferry_run_id, ferry_record)
                SELECT order_pk, ?, quantity, price, fill_value, charges, filled_at, metadata, ?, record_no FROM ferry_tx WHERE order_pk IS NOT NULL""",
                user, runId);
        Sql.update(c, """
                INSERT INTO ferry.record_keys (user_id, kind, key, run_id, record_no)
                SELECT ?, kind, key, ?, record_no FROM ferry_tx WHERE order_pk IS NOT NULL""", user, runId);
        long unmatched = Sql.update(c, """
                INSERT INTO ferry.rejects (run_id, source_file, record_no, record_path, line, field, reason, raw)
                SELECT ?, ?, record_no, record_path, line,
                       CASE WHEN order_ref IS NULL THEN 'timestamp' ELSE 'order_id' END,
                       CASE WHEN order_ref IS NOT NULL THEN 'no paper order with order_id ' || order_ref
                            ELSE 'no paper ' || side || ' order for ' || symbol || ' within ' || ? || ' s of ' || filled_at END,
                       raw
                FROM ferry_tx WHERE order_pk IS NULL""", runId, r.getSourceFile(), toleranceSeconds);
        sampleRejects(runId);
        return new long[] {matched, unmatched};
    }

    /** Rejects made in the database (unmatched transactions) join the run's sample, so the CLI and the report name them too. */
    private void sampleRejects(long runId) throws SQLException {
        int room = SAMPLE_REJECTS - r.getRejects().size();
        if (room <= 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT record_no, record_path, line, field, reason, raw FROM ferry.rejects "
                + "WHERE run_id = ? ORDER BY record_no LIMIT ?")) {
            ps.setLong(1, runId);
            ps.setInt(2, SAMPLE_REJECTS);
            Set<Integer> known = new HashSet<>();
            r.getRejects().forEach(x -> known.add(x.recordNo()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && r.getRejects().size() < SAMPLE_REJECTS) {
                    if (known.add(rs.getInt(1))) {
                        r.getRejects().add(new RejectedRecord(r.getSourceFile(), rs.getInt(1), rs.getString(2), (Integer) rs.getObject(3),
                                rs.getString(4), rs.getString(5), rs.getString(6)));
                    }
                }
            }
        }
    }

    /** Waits for a batch still being sent and removes the spool files; the transaction's rollback does the rest. */
    @Override
    public void close() throws IOException {
        try {
            batches.close();
        } finally {
            rejects.close();
            duplicates.close();
            positions.close();
            transactions.close();
        }
    }

    private record Waiting(StagedRecord record, boolean brokerKey) {
    }
}
