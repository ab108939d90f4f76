package dev.ferry.sqlite.validate;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.ferry.sqlite.convert.CastException;
import dev.ferry.sqlite.convert.ColumnPlan;
import dev.ferry.sqlite.convert.RowConverter;
import dev.ferry.sqlite.convert.TablePlan;
import dev.ferry.sqlite.convert.ValueFormat;
import dev.ferry.sqlite.read.Rows;
import dev.ferry.sqlite.read.SqliteSource;
import dev.ferry.sqlite.write.SourceKeys;
import dev.ferry.sqlite.write.TargetNames;

/**
 * Compares one table on both sides. Each row's converted values get one 64-bit hash (each
 * column hashed by PostgreSQL's own hash function for its type, see TargetKind and PgHash,
 * the columns XORed) and the hashes are summed: the same sum, computed here from the SQLite
 * rows and in PostgreSQL from the loaded rows, means the same multiset of rows, in any order. Rows the run rejected are left out of the
 * source side. On a mismatch the differing rows are found by their hashes and the first
 * few of each side are shown. Whatever read the source side (a sum kept while loading, the
 * page reader), its row count must match SQLite's own count(*); when it does not, the source
 * is read again through SQLite's engine, so a page-reader fault cannot vouch for itself.
 */
public final class TableValidator {

    private static final int SHOW = 5;

    private final SqliteSource source;

    public TableValidator(SqliteSource source) {
        this.source = source;
    }

    public ValidationResult.TableCheck check(Connection pg, TablePlan plan, RowConverter converter, Set<String> rejectedKeys)
            throws SQLException {
        return check(pg, plan, converter, rejectedKeys, null, 0);
    }

    /**
     * With {@code knownSum} (the source side summed while the rows were loaded), the source is
     * not read again unless that sum's rows and the rejects do not add up to SQLite's count.
     */
    public ValidationResult.TableCheck check(Connection pg, TablePlan plan, RowConverter converter, Set<String> rejectedKeys,
                                             BigInteger knownSum, long knownCount) throws SQLException {
        ValidationResult.TableCheck check = new ValidationResult.TableCheck();
        check.table = plan.label();
        check.target = plan.schema() + "." + plan.table();
        String rowHash = rowHashSql(plan.columns());
        CompletableFuture<Object[]> target = CompletableFuture.supplyAsync(() -> {
            try (PreparedStatement ps = pg.prepareStatement("SELECT count(*), coalesce(sum(" + rowHash + "), 0)::text FROM "
                    + plan.qualified() + " t")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Object[] {rs.getLong(1), rs.getString(2)};
                }
            } catch (SQLException e) {
                throw new CompletionException(e);
            }
        });
        long inSqlite = engineCount(plan);
        Summed summed = knownSum != null ? new Summed(knownSum, knownCount, knownCount + rejectedKeys.size()) : null;
        if (summed == null || summed.seen != inSqlite) {
            try (Connection c = source.open(); Rows rs = source.rows(c, plan.source(), Long.MIN_VALUE, Long.MAX_VALUE, null, List.of())) {
                summed = sum(rs, plan, converter, rejectedKeys);
            }
        }
        if (summed.seen != inSqlite) {
            // the page reader saw other rows than SQLite counts: only SQLite's own engine is trusted then
            try (Connection c = source.open(); Rows rs = source.engineRows(c, plan.source())) {
                summed = sum(rs, plan, converter, rejectedKeys);
            }
        }
        BigInteger sum = summed.sum;
        long rows = summed.rows;
        check.sourceRows = rows;
        check.sourceChecksum = sum.toString();
        try {
            Object[] t = target.join();
            check.targetRows = (Long) t[0];
            check.targetChecksum = (String) t[1];
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException s) {
                throw s;
            }
            throw e;
        }
        if (!check.sourceChecksum.equals(check.targetChecksum) || check.sourceRows != check.targetRows) {
            diff(pg, plan, converter, rejectedKeys, check, rowHash);
        }
        return check;
    }

    /** A source side: the checksum and count of the rows compared, and how many rows the reader gave in all. */
    private record Summed(BigInteger sum, long rows, long seen) {
    }

    private static Summed sum(Rows rs, TablePlan plan, RowConverter converter, Set<String> rejectedKeys) throws SQLException {
        RowHasher hasher = new RowHasher(converter.columns());
        BigInteger sum = BigInteger.ZERO;
        long rows = 0;
        long seen = 0;
        Object[] raw;
        while ((raw = rs.next()) != null) {
            seen++;
            if (!rejectedKeys.isEmpty() && rejectedKeys.contains(SourceKeys.of(plan.source(), raw, rs.position()))) {
                continue;
            }
            long h;
            try {
                h = hasher.hash(converter.convert(raw));
            } catch (CastException e) {
                continue; // rejected when loading (its key is in rejectedKeys too, unless the rules changed since)
            }
            sum = sum.add(BigInteger.valueOf(h));
            rows++;
        }
        return new Summed(sum, rows, seen);
    }

    private long engineCount(TablePlan plan) throws SQLException {
        try (Connection c = source.open()) {
            return source.count(c, plan.source());
        }
    }

    /** The canonical text of a converted row: how a row that differs is shown. */
    public static String canonical(RowConverter converter, Object[] row) {
        StringBuilder sb = new StringBuilder(128);
        ColumnPlan[] cols = converter.columns();
        for (int i = 0; i < cols.length; i++) {
            if (i > 0) {
                sb.append('\u001f');
            }
            sb.append(row[i] == null ? "\\N" : ValueFormat.canonical(cols[i].kind(), row[i]));
        }
        return sb.toString();
    }

    /** PostgreSQL's side of {@link #canonical}, over alias t. */
    public static String rowTextSql(TablePlan plan) {
        StringBuilder sb = new StringBuilder("concat_ws(chr(31)");
        for (ColumnPlan c : plan.columns()) {
            sb.append(", coalesce(").append(c.kind().canonicalSql("t." + TargetNames.quote(c.targetName()))).append(", '\\N')");
        }
        return sb.append(')').toString();
    }

    /** PostgreSQL's side of {@link RowHasher}, over alias t. */
    public static String rowHashSql(java.util.List<ColumnPlan> columns) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < columns.size(); i++) {
            ColumnPlan c = columns.get(i);
            sb.append(i == 0 ? "" : " # ").append("coalesce(").append(c.kind().hashSql("t." + TargetNames.quote(c.targetName()), i + 1))
                    .append(", ").append(RowHasher.nullMark(i)).append(')');
        }
        return sb.append(')').toString();
    }

    private void diff(Connection pg, TablePlan plan, RowConverter converter, Set<String> rejectedKeys, ValidationResult.TableCheck check,
                      String rowHash) throws SQLException {
        Map<Long, Integer> balance = new HashMap<>();
        RowHasher hasher = new RowHasher(converter.columns());
        try (Connection c = source.open(); Rows rs = source.engineRows(c, plan.source())) {
            Object[] raw;
            while ((raw = rs.next()) != null) {
                if (!rejectedKeys.isEmpty() && rejectedKeys.contains(SourceKeys.of(plan.source(), raw, rs.position()))) {
                    continue;
                }
                try {
                    balance.merge(hasher.hash(converter.convert(raw)), 1, Integer::sum);
                } catch (CastException e) {
                    // not loaded, not compared
                }
            }
        }
        boolean auto = pg.getAutoCommit();
        pg.setAutoCommit(false);
        try (PreparedStatement ps = pg.prepareStatement("SELECT " + rowHash + " FROM " + plan.qualified() + " t")) {
            ps.setFetchSize(50_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    balance.merge(rs.getLong(1), -1, Integer::sum);
                }
            }
        } finally {
            pg.commit();
            pg.setAutoCommit(auto);
        }
        List<Long> onlySource = new ArrayList<>();
        List<Long> onlyTarget = new ArrayList<>();
        balance.forEach((h, n) -> {
            if (n > 0 && onlySource.size() < SHOW) {
                onlySource.add(h);
            } else if (n < 0 && onlyTarget.size() < SHOW) {
                onlyTarget.add(h);
            }
        });
        if (!onlySource.isEmpty()) {
            try (Connection c = source.open(); Rows rs = source.engineRows(c, plan.source())) {
                Object[] raw;
                while ((raw = rs.next()) != null && check.onlyInSource.size() < onlySource.size()) {
                    try {
                        Object[] row = converter.convert(raw);
                        if (onlySource.contains(hasher.hash(row))) {
                            check.onlyInSource.add(SourceKeys.of(plan.source(), raw, rs.position()) + ": "
                                    + canonical(converter, row).replace('\u001f', '|'));
                        }
                    } catch (CastException e) {
                        // not loaded
                    }
                }
            }
        }
        if (!onlyTarget.isEmpty()) {
            try (PreparedStatement ps = pg.prepareStatement("SELECT " + rowTextSql(plan) + " FROM " + plan.qualified()
                    + " t WHERE " + rowHash + " = ANY (?) LIMIT " + SHOW)) {
                ps.setArray(1, pg.createArrayOf("bigint", onlyTarget.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        check.onlyInTarget.add(rs.getString(1).replace('\u001f', '|'));
                    }
                }
            }
        }
    }

}
