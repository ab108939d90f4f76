package dev.ferry.bench.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.ferry.core.schema.FerrySchema;
import dev.ferry.core.schema.SchemaEngine;
import dev.ferry.core.schema.SchemaResult;
import dev.ferry.core.schema.SchemaTarget;

/** What the bot-file flows share: the platform's tables as Ferry leaves them, and a bot import's progress. */
final class BotTarget {

    /**
     * The platform's rows as a user compares them: every column but generated ids, lineage (run and record
     * numbers) and the server-set timestamps. A fill is named by its order's content, not its order's id.
     */
    static final Map<String, String> TABLES = tables();

    private static final Pattern PROGRESS = Pattern.compile("(\\S+): (\\d+) records read");

    private BotTarget() {
    }

    private static Map<String, String> tables() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("trading.orders", """
                SELECT concat_ws('|', o.user_id, o.symbol, o.side, o.order_type, o.quantity, o.price, o.avg_price, o.status,
                                 o.placed_at, o.filled_at, o.closed_at, o.orig_source, o.order_id, o.broker_order_id,
                                 o.metadata::text) FROM trading.orders o""");
        t.put("trading.fills", """
                SELECT concat_ws('|', f.user_id, o.symbol, o.side, o.placed_at, o.broker_order_id, o.order_id, f.quantity, f.price,
                                 f.fill_value, f.charges, f.filled_at, f.metadata::text)
                FROM trading.fills f JOIN trading.orders o ON o.id = f.order_id""");
        t.put("trading.positions", """
                SELECT concat_ws('|', p.user_id, p.symbol, p.quantity, p.avg_price, p.unrealized_pnl, p.opened_at, p.closed_at,
                                 p.metadata::text) FROM trading.positions p""");
        return t;
    }

    /** Ferry's own schema (as its start-up would make it) and the platform's user 1, whose files the flows load. */
    static void prepare(Trial trial) throws SQLException {
        SchemaResult r = new SchemaEngine(new SchemaTarget(trial.adminUrl(), "postgres", null), Duration.ofSeconds(60))
                .withBaseline(FerrySchema.flywayHistory())
                .migrate(FerrySchema.project(), null, false, false);
        if (!r.ok()) {
            throw new IllegalStateException("Ferry's schema could not be created in " + trial.database() + ": " + r.summaryLine());
        }
        try (Connection c = connect(trial); Statement st = c.createStatement()) {
            st.execute("INSERT INTO trading.users (id, name) VALUES (1, 'reliability') ON CONFLICT (id) DO NOTHING");
        }
    }

    static Connection connect(Trial trial) throws SQLException {
        return DriverManager.getConnection(trial.adminUrl());
    }

    /** The platform's tables and the bot runs' counts. */
    static Outcome outcome(Trial trial) throws SQLException {
        try (Connection c = connect(trial)) {
            TargetRows rows = TargetRows.read(c, TABLES);
            long[] n = TargetRows.runCounts(c, "true");
            return Outcome.of(rows, n[0], n[1], n[2], n[3], 0);
        }
    }

    /**
     * Records read so far by the imports in flight, from their progress lines (a bot file loads in one
     * transaction, so the target shows nothing before its commit): the highest count per file, summed.
     */
    static long recordsRead(Trial trial) throws IOException {
        Map<String, Long> perFile = new HashMap<>();
        if (!Files.isDirectory(trial.logDir())) {
            return 0;
        }
        List<Path> logs;
        try (Stream<Path> s = Files.list(trial.logDir())) {
            logs = s.toList();
        }
        for (Path log : logs) {
            // ISO-8859-1 reads any byte: a log line of a record's raw bytes must not stop the count
            Matcher m = PROGRESS.matcher(Files.readString(log, StandardCharsets.ISO_8859_1));
            while (m.find()) {
                perFile.merge(m.group(1), Long.parseLong(m.group(2)), Math::max);
            }
        }
        return perFile.values().stream().mapToLong(Long::longValue).sum();
    }
}
