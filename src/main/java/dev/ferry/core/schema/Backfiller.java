package dev.ferry.core.schema;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.function.Consumer;

import dev.ferry.core.schema.project.Backfill;
import dev.ferry.core.schema.project.Version;

/**
 * A version's data step, run after its up.sql has committed: one set-based UPDATE per key
 * range of {@code batchSize} rows, each committed on its own together with the key it reached,
 * so the application's writes wait at most one batch, and a crash resumes after the last
 * committed batch instead of starting over.
 */
final class Backfiller {

    private final String project;
    private final Version version;
    private final Backfill backfill;
    private final Consumer<String> progress;

    Backfiller(String project, Version version, Backfill backfill, Consumer<String> progress) {
        this.project = project;
        this.version = version;
        this.backfill = backfill;
        this.progress = progress;
    }

    /** The statement one batch runs, for dry runs and the README: the key range is bound per batch. */
    static String describe(Backfill b) {
        return "UPDATE " + b.table() + " SET " + b.set() + " WHERE " + b.key() + " > <last key> AND " + b.key() + " <= <last key of the batch>"
                + (b.where() == null || b.where().isBlank() ? "" : " AND (" + b.where() + ")")
                + "  -- in batches of " + b.batchSize() + " rows by " + b.key() + ", each committed on its own";
    }

    /** Runs the remaining batches from {@code lastKey} (null: from the start); returns the rows updated. */
    long run(Connection c, String lastKey) throws SQLException {
        Instant started = Instant.now();
        String keyType = keyType(c);
        String where = backfill.where() == null || backfill.where().isBlank() ? "" : " AND (" + backfill.where() + ")";
        String after = " WHERE " + backfill.key() + " > CAST(? AS " + keyType + ")";
        String next = "SELECT " + backfill.key() + "::text AS bound FROM " + backfill.table() + "%s ORDER BY " + backfill.key()
                + " OFFSET " + (backfill.batchSize() - 1) + " LIMIT 1";
        String max = "SELECT max(" + backfill.key() + ")::text FROM " + backfill.table() + "%s";
        String firstUpdate = "UPDATE " + backfill.table() + " SET " + backfill.set() + " WHERE " + backfill.key() + " <= CAST(? AS " + keyType + ")" + where;
        String update = "UPDATE " + backfill.table() + " SET " + backfill.set() + " WHERE " + backfill.key() + " > CAST(? AS " + keyType + ") AND "
                + backfill.key() + " <= CAST(? AS " + keyType + ")" + where;
        BigDecimal[] range = numericRange(c, keyType);
        long total = 0;
        long batches = 0;
        long lastReport = System.nanoTime();
        String key = lastKey;
        c.setAutoCommit(false);
        while (true) {
            String filter = key == null ? "" : after;
            String bound = bound(c, next.formatted(filter), key);
            if (bound == null) {
                bound = bound(c, max.formatted(filter), key);
            }
            if (bound == null) {
                SchemaHistory.backfillProgress(c, project, version, key, 0, true);
                SchemaHistory.record(c, project, version, null, "backfill", null, started, "success", SchemaHistory.actor(c),
                        total + " rows of " + backfill.table() + " updated in " + batches + " batches", backfill.file(), null, null);
                c.commit();
                break;
            }
            int n;
            try (PreparedStatement ps = c.prepareStatement(key == null ? firstUpdate : update)) {
                if (key == null) {
                    ps.setString(1, bound);
                } else {
                    ps.setString(1, key);
                    ps.setString(2, bound);
                }
                n = ps.executeUpdate();
            }
            SchemaHistory.backfillProgress(c, project, version, bound, n, false);
            c.commit();
            key = bound;
            total += n;
            batches++;
            if (System.nanoTime() - lastReport > 2_000_000_000L) {
                lastReport = System.nanoTime();
                progress.accept("backfill " + backfill.table() + " (" + version + "): " + String.format("%,d", total) + " rows updated, "
                        + backfill.key() + " up to " + key + percent(range, key));
            }
        }
        return total;
    }

    private String keyType(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                + "WHERE a.attrelid = to_regclass(?) AND a.attname = ? AND NOT a.attisdropped")) {
            ps.setString(1, backfill.table());
            ps.setString(2, backfill.key());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SchemaException(backfill.file() + ": table " + backfill.table() + " has no column " + backfill.key()
                            + " to backfill by");
                }
                return rs.getString(1);
            }
        }
    }

    private static String bound(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (key != null) {
                ps.setString(1, key);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** min and max of a numeric key, for a percentage in the progress line; null for other key types. */
    private BigDecimal[] numericRange(Connection c, String keyType) throws SQLException {
        if (!keyType.matches("(?i)(smallint|integer|bigint|numeric.*)")) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT min(" + backfill.key() + ")::numeric, max(" + backfill.key() + ")::numeric FROM "
                + backfill.table()); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBigDecimal(1) == null ? null : new BigDecimal[] {rs.getBigDecimal(1), rs.getBigDecimal(2)};
        }
    }

    private static String percent(BigDecimal[] range, String key) {
        if (range == null || range[1].compareTo(range[0]) <= 0) {
            return "";
        }
        double p = new BigDecimal(key).subtract(range[0]).doubleValue() / range[1].subtract(range[0]).doubleValue() * 100;
        return String.format(" (%.0f%% of the key range)", Math.min(100, p));
    }
}
