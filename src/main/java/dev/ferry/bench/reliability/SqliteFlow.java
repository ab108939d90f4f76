package dev.ferry.bench.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.demo.MarketStoreGenerator;

/**
 * {@code ferry sqlite market.db} of a generated market store (the real store's twelve tables, scaled down),
 * in batches of 5,000 rows, each committed with its checkpoint. Recovery continues a cut-off run with
 * {@code --resume}; a run that ended by itself is only validated again ({@code --validate-only}).
 */
public final class SqliteFlow implements ReliabilityFlow {

    static final int OHLCV_ROWS = 100_000;

    private Path store;
    private List<String> tables;
    private long sourceRows;

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public Map<String, String> env(Trial trial) {
        // many commits, so a fault lands between two of them rather than before the first
        return Map.of("FERRY_SQLITE_BATCH_ROWS", "5000");
    }

    @Override
    public void prepare(Trial trial) throws Exception {
        Files.copy(store(trial), file(trial), StandardCopyOption.REPLACE_EXISTING);
    }

    /** The store is generated once per suite beside the trials' folders; each trial migrates its own copy. */
    private synchronized Path store(Trial trial) throws Exception {
        if (store == null || !Files.isRegularFile(store)) {
            Path s = trial.workDir().getParent().resolve("market-" + OHLCV_ROWS + ".db");
            new MarketStoreGenerator().ohlcvRows(OHLCV_ROWS).write(s);
            List<String> names = new ArrayList<>();
            long rows = 0;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + s); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
                for (String t : names) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM \"" + t.replace("\"", "\"\"") + "\"")) {
                        rs.next();
                        rows += rs.getLong(1);
                    }
                }
            }
            tables = List.copyOf(names);
            sourceRows = rows;
            store = s;
        }
        return store;
    }

    private static Path file(Trial trial) {
        return trial.workDir().resolve("market.db");
    }

    @Override
    public List<String> start(Trial trial) {
        return List.of("sqlite", file(trial).toString());
    }

    /** --resume when the last run was cut off; a plain run when none began; else the validation alone. */
    @Override
    public List<String> recover(Trial trial) {
        String last = null;
        try (Connection c = BotTarget.connect(trial); Statement st = c.createStatement()) {
            if (TargetRows.exists(c, "ferry.runs")) {
                try (ResultSet rs = st.executeQuery("SELECT status FROM ferry.runs WHERE flow = 'sqlite' AND NOT dry_run "
                        + "AND status NOT IN ('refused', 'invalid') ORDER BY id DESC LIMIT 1")) {
                    last = rs.next() ? rs.getString(1) : null;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the runs of " + trial.database() + ": " + e.getMessage(), e);
        }
        if (last == null) {
            return start(trial);
        }
        if (last.equals("aborted") || last.equals("failed") || last.equals("running")) {
            return List.of("sqlite", file(trial).toString(), "--resume");
        }
        return List.of("sqlite", file(trial).toString(), "--validate-only");
    }

    @Override
    public double progress(Trial trial) throws Exception {
        try (Connection c = BotTarget.connect(trial); Statement st = c.createStatement()) {
            if (!TargetRows.exists(c, "ferry.sqlite_tables")) {
                return 0;
            }
            try (ResultSet rs = st.executeQuery("SELECT coalesce(sum(rows_read), 0) FROM ferry.sqlite_tables")) {
                rs.next();
                return rs.getLong(1) / (double) sourceRows;
            }
        } catch (SQLException e) {
            return 0; // Ferry is creating its schema at this moment
        }
    }

    /** Every source table's rows as PostgreSQL holds them, and the counts of the runs that completed. */
    @Override
    public Outcome outcome(Trial trial) throws Exception {
        Map<String, String> queries = new LinkedHashMap<>();
        try (Connection c = BotTarget.connect(trial)) {
            for (String t : tables) {
                String regclass = TargetRows.exists(c, "public.\"" + t.replace("\"", "\"\"") + "\"")
                        ? "public.\"" + t.replace("\"", "\"\"") + "\"" : null;
                // a table missing after the recovery counts as all its rows lost
                queries.put(t, regclass == null ? "SELECT NULL::text WHERE false" : "SELECT r::text FROM " + regclass + " r");
            }
            TargetRows rows = TargetRows.read(c, queries);
            if (!TargetRows.exists(c, "ferry.sqlite_tables")) {
                return Outcome.of(rows, 0, 0, 0, 0, 0);
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                    SELECT coalesce(sum(t.rows_read), 0), coalesce(sum(t.loaded), 0), coalesce(sum(t.skipped), 0),
                           coalesce(sum(t.rejected), 0), coalesce(sum(t.updated), 0)
                    FROM ferry.sqlite_tables t JOIN ferry.runs r ON r.id = t.run_id
                    WHERE r.flow = 'sqlite' AND NOT r.dry_run AND r.status IN ('completed', 'completed_with_rejects')""")) {
                rs.next();
                return Outcome.of(rows, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
            }
        }
    }
}
