package dev.ferry.bench.reliability;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of a flow's target tables as multisets of row digests: a flow names each table with a query
 * of one text column per row (the columns two correct runs agree on), and gets back the row counts, one
 * digest per table independent of row order, and the multiset the harness counts lost, duplicated and
 * altered rows from. The digests are computed by PostgreSQL ({@code md5}), so only 32 characters per row
 * travel.
 */
public record TargetRows(Map<String, Long> rows, Map<String, String> digests, Map<String, Map<String, Long>> hashes) {

    /** {@code tables}: table name → a query whose single column is the row's text. */
    public static TargetRows read(Connection c, Map<String, String> tables) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, String> digests = new LinkedHashMap<>();
        Map<String, Map<String, Long>> hashes = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : tables.entrySet()) {
            Map<String, Long> multiset = new HashMap<>();
            long n = 0;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT md5(coalesce(r.t, '<null>')) FROM (" + t.getValue() + ") AS r(t)")) {
                while (rs.next()) {
                    multiset.merge(rs.getString(1), 1L, Long::sum);
                    n++;
                }
            }
            rows.put(t.getKey(), n);
            digests.put(t.getKey(), digest(multiset));
            hashes.put(t.getKey(), multiset);
        }
        return new TargetRows(rows, digests, hashes);
    }

    /** One digest of a multiset: of its sorted row digests with their counts. */
    static String digest(Map<String, Long> multiset) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, Long> e : new TreeMap<>(multiset).entrySet()) {
                md.update((e.getKey() + "x" + e.getValue() + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether a table exists yet (a trial may read before Ferry's first start made its schema). Asked
     * apart from the query that reads it: PostgreSQL resolves every table of a statement before running
     * any of it, so a {@code CASE} around a missing table still fails.
     */
    public static boolean exists(Connection c, String table) throws SQLException {
        try (var ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * The counts of the runs that ended with their records accounted for (completed, with rejects, or a
     * known duplicate file), in Ferry's ledger: read, loaded, duplicates, rejected. {@code where} narrows
     * the runs (e.g. {@code flow = 'sqlite'}); dry runs never count.
     */
    public static long[] runCounts(Connection c, String where) throws SQLException {
        if (!exists(c, "ferry.runs")) {
            return new long[4];
        }
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT coalesce(sum(records_read), 0), coalesce(sum(loaded), 0), coalesce(sum(duplicates), 0),
                       coalesce(sum(rejected), 0)
                FROM ferry.runs
                WHERE NOT dry_run AND status IN ('completed', 'completed_with_rejects', 'duplicate_file') AND (""" + where + ")")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
        }
    }
}
