package dev.ferry.bench.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** What the flows of this package share: connections for setup and read-back, digests in SQL, the jar for setup steps. */
final class FlowSupport {

    private FlowSupport() {
    }

    /** The same server and parameters as {@code url}, another database: the proxied URL of a source database. */
    static String withDatabase(String url, String database) {
        return url.replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1");
    }

    /** A direct connection with the trial's user; a user or password in the URL itself wins over these. */
    static Connection connect(Trial trial, String url) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", trial.env().getOrDefault("FERRY_DB_USER", "postgres"));
        String password = trial.env().get("FERRY_DB_PASSWORD");
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(url, p);
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    static String text(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    static boolean exists(Connection c, String relation) throws SQLException {
        return text(c, "SELECT to_regclass('" + relation.replace("'", "''") + "')::text") != null;
    }

    /** Drops and creates a database beside the trial's: a source database the harness drops with the trial's. */
    static void recreate(Trial trial, String database) throws SQLException {
        try (Connection c = connect(trial, trial.adminUrl())) {
            execute(c, "DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
            execute(c, "CREATE DATABASE \"" + database + "\"");
        }
    }

    /**
     * Row count and content digest of {@code rowsSql}, a query of one text column per row: the md5 of the rows
     * sorted, so neither the order the rows were written in nor the physical order matters.
     */
    static void digest(Connection c, String table, String rowsSql, Map<String, Long> rows, Map<String, String> digests)
            throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*), coalesce(md5(string_agg(t, E'\\n' ORDER BY t)), '') FROM (" + rowsSql + ") r(t)")) {
            rs.next();
            rows.put(table, rs.getLong(1));
            digests.put(table, rs.getLong(1) + ":" + rs.getString(2));
        }
    }

    /** A table's every column but the ones named, as one text per row. */
    static String rowsWithout(String table, String... columns) {
        StringBuilder json = new StringBuilder("to_jsonb(x)");
        for (String column : columns) {
            json.append(" - '").append(column).append('\'');
        }
        return "SELECT (" + json + ")::text FROM " + table + " x";
    }

    /**
     * The catalog of one schema as one text per object: columns with type, nullability and default, constraints,
     * indexes with their validity, views, triggers and functions. A step applied twice or half undone shows here.
     */
    static String catalogRows(String schema) {
        String s = "'" + schema.replace("'", "''") + "'";
        return """
                SELECT concat_ws(' ', 'column', table_name, column_name, data_type, character_maximum_length, numeric_precision,
                                 numeric_scale, is_nullable, column_default) FROM information_schema.columns WHERE table_schema = %1$s
                UNION ALL SELECT concat_ws(' ', 'constraint', conrelid::regclass, conname, pg_get_constraintdef(oid), convalidated)
                  FROM pg_constraint WHERE connamespace = %1$s::regnamespace
                UNION ALL SELECT concat_ws(' ', 'index', pg_get_indexdef(indexrelid), indisvalid) FROM pg_index
                  WHERE indrelid IN (SELECT oid FROM pg_class WHERE relnamespace = %1$s::regnamespace)
                UNION ALL SELECT concat_ws(' ', 'view', viewname, definition) FROM pg_views WHERE schemaname = %1$s
                UNION ALL SELECT concat_ws(' ', 'trigger', tgrelid::regclass, tgname) FROM pg_trigger
                  WHERE NOT tgisinternal AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = %1$s::regnamespace)
                UNION ALL SELECT concat_ws(' ', 'function', proname, pg_get_function_identity_arguments(oid)) FROM pg_proc
                  WHERE pronamespace = %1$s::regnamespace""".formatted(s);
    }

    /** Runs of a flow that are still 'running': after the trial's last run ended, a run left behind by a crash. */
    static long running(Connection c, String flow) throws SQLException {
        if (!exists(c, "ferry.runs")) {
            return 0;
        }
        return count(c, "SELECT count(*) FROM ferry.runs WHERE status = 'running' AND flow = '" + flow + "'");
    }

    /** The counts of the flow's completed runs, summed: read, loaded, duplicates, rejected. */
    static long[] completedRunCounts(Connection c, String flow) throws SQLException {
        if (!exists(c, "ferry.runs")) {
            return new long[4];
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT coalesce(sum(records_read), 0), coalesce(sum(loaded), 0), coalesce(sum(duplicates), 0), coalesce(sum(rejected), 0) "
                        + "FROM ferry.runs WHERE flow = '" + flow + "' AND status IN ('completed', 'completed_with_rejects') AND NOT dry_run")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
        }
    }

    record Run(int exitCode, String output) {
    }

    /**
     * Runs the packaged jar to its end with the trial's environment, in a folder of the work folder: the setup
     * steps a flow takes through Ferry itself (the pass before a sync, phase 1 before its rollback).
     */
    static Run ferry(Trial trial, String folder, long timeoutSeconds, List<String> args) throws IOException, InterruptedException {
        Path dir = trial.workDir().resolve(folder);
        Files.createDirectories(dir);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-jar");
        // the trials' own jar: a setup step of another build than the trial's would leave a schema the trial does not know
        cmd.add(FerryChild.jar().toString());
        cmd.addAll(args);
        Path out = dir.resolve("output.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(trial.env());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("ferry " + String.join(" ", args) + " did not end in " + timeoutSeconds + " s (" + out + ")");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    /** Like {@link #ferry}, for a setup step that must succeed. */
    static void ferryOk(Trial trial, String folder, long timeoutSeconds, List<String> args) throws IOException, InterruptedException {
        Run r = ferry(trial, folder, timeoutSeconds, args);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("setup step ferry " + String.join(" ", args) + " exited " + r.exitCode() + ":\n" + r.output());
        }
    }
}
