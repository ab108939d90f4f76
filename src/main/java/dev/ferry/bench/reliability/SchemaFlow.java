package dev.ferry.bench.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A versioned schema change with a batched backfill: the bundled trading-system project, its 1.0.0 applied and
 * {@value #ROWS} price bars written in {@link #prepare}; {@code ferry schema migrate} takes it to 1.1.0 (the column,
 * then {@code adjusted_close = close} batch by batch), hit by the fault; after it the same command resumes after
 * the last committed batch.
 */
public final class SchemaFlow extends RerunFlow {

    static final int ROWS = 200_000;
    /** Smaller batches than the bundled 10,000, so a kill falls between many commits. */
    static final int BATCH = 2_000;
    /** Every 50th bar has no close, so the backfill's WHERE leaves it NULL. */
    static final int NO_CLOSE_EVERY = 50;

    private static final String PROJECT = "trading-system";

    @Override
    public String name() {
        return "schema migrate (batched backfill)";
    }

    static Path project(Trial trial) {
        return trial.workDir().resolve(PROJECT).toAbsolutePath();
    }

    @Override
    public void prepare(Trial trial) throws Exception {
        Path bundled = Path.of("config", "schema", PROJECT);
        Path copy = project(trial);
        try (Stream<Path> files = Files.walk(bundled)) {
            for (Path f : files.toList()) {
                Path to = copy.resolve(bundled.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Path backfill = copy.resolve("1.1.0__adjusted_close/backfill.properties");
        Files.writeString(backfill, Files.readString(backfill).replaceFirst("batch-size=\\d+", "batch-size=" + BATCH));
        FlowSupport.ferryOk(trial, "prepare-1.0.0", 300, List.of("schema", "migrate", "--project", copy.toString(), "--to", "1.0.0"));
        try (Connection c = FlowSupport.connect(trial, trial.adminUrl())) {
            // 40 symbols, one bar a minute each; the prices follow from the row number, so every trial has the same bars
            FlowSupport.execute(c, """
                    INSERT INTO prices (symbol, "timestamp", open, high, low, close, volume)
                    SELECT 'SYM' || lpad((g %% 40)::text, 2, '0'), timestamptz '2025-01-02 09:30+00' + (g / 40) * interval '1 minute',
                           100 + (g %% 997) / 10.0, 101 + (g %% 997) / 10.0, 99 + (g %% 997) / 10.0,
                           CASE WHEN g %% %d = 0 THEN NULL ELSE 100 + (g %% 991) / 10.0 END, g %% 100000
                      FROM generate_series(1, %d) g""".formatted(NO_CLOSE_EVERY, ROWS));
            FlowSupport.execute(c, "VACUUM ANALYZE prices");
        }
    }

    @Override
    public List<String> start(Trial trial) {
        return List.of("schema", "migrate", "--project", project(trial).toString());
    }

    /** The rows the backfill committed, as Ferry records them with each batch, against the rows it has to set. */
    @Override
    public double progress(Trial trial) throws Exception {
        try (Connection c = FlowSupport.connect(trial, trial.adminUrl())) {
            String state = FlowSupport.text(c, "SELECT backfill_state || ' ' || backfill_rows FROM ferry_schema.applied "
                    + "WHERE project = '" + PROJECT + "' AND version = '1.1.0'");
            if (state == null) {
                return 0;
            }
            String[] parts = state.split(" ");
            return "done".equals(parts[0]) ? 1.0 : Math.min(1.0, Double.parseDouble(parts[1]) / (ROWS - ROWS / NO_CLOSE_EVERY));
        }
    }

    @Override
    public Outcome outcome(Trial trial) throws Exception {
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, String> digests = new LinkedHashMap<>();
        long read;
        long backfilled;
        long left;
        try (Connection c = FlowSupport.connect(trial, trial.adminUrl())) {
            // prepare's default created_at is the time of that trial; everything else is the same in every trial
            FlowSupport.digest(c, "prices", FlowSupport.rowsWithout("prices", "id", "created_at"), rows, digests);
            FlowSupport.digest(c, "ferry_schema.applied", "SELECT concat_ws('|', project, version, description, checksum, backfill_state, "
                    + "backfill_last_key, backfill_rows) FROM ferry_schema.applied", rows, digests);
            FlowSupport.digest(c, "catalog public", FlowSupport.catalogRows("public"), rows, digests);
            read = FlowSupport.count(c, "SELECT count(*) FROM prices");
            backfilled = FlowSupport.count(c, "SELECT coalesce(sum(backfill_rows), 0) FROM ferry_schema.applied WHERE project = '" + PROJECT + "'");
            left = FlowSupport.count(c, "SELECT count(*) FROM prices WHERE close IS NULL");
        }
        FlowSupport.Run verify = FlowSupport.ferry(trial, "outcome-verify", 300,
                List.of("schema", "verify", "--project", project(trial).toString()));
        digests.put("ferry schema verify", verify.exitCode() == 0 ? "passed" : "exit " + verify.exitCode() + ": " + verify.output().strip());
        // no run records here: read is every bar, loaded the rows Ferry counted as backfilled, other the bars the WHERE leaves out
        return new Outcome(rows, digests, read, backfilled, 0, 0, left);
    }
}
