package dev.ferry.sqlite.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What PostgreSQL says about a table that already exists in the target. */
public final class TargetCatalog {

    public record Column(String name, String type, boolean notNull) {
    }

    public record Table(List<Column> columns, List<String> key) {
        public Optional<Column> column(String name) {
            Optional<Column> exact = columns.stream().filter(c -> c.name().equals(name)).findFirst();
            return exact.isPresent() ? exact : columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst();
        }
    }

    private TargetCatalog() {
    }

    public static Optional<Table> describe(Connection c, String schema, String table) throws SQLException {
        String regclass = TargetNames.quote(schema) + "." + TargetNames.quote(table);
        List<Column> cols = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_attribute a
                WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""")) {
            ps.setString(1, regclass);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cols.add(new Column(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
                }
            }
        }
        if (cols.isEmpty()) {
            return Optional.empty();
        }
        List<String> key = new ArrayList<>();
        // the primary key, else the first unique index on plain columns: what ON CONFLICT can name
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT array_agg(a.attname ORDER BY k.ord) FROM (
                    SELECT i.indexrelid, i.indisprimary, i.indkey FROM pg_index i
                    WHERE i.indrelid = to_regclass(?) AND (i.indisprimary OR i.indisunique) AND i.indpred IS NULL
                      AND i.indexprs IS NULL AND i.indimmediate
                    ORDER BY i.indisprimary DESC, i.indexrelid LIMIT 1) ix
                CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = to_regclass(?) AND a.attnum = k.attnum""")) {
            ps.setString(1, regclass);
            ps.setString(2, regclass);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getArray(1) != null) {
                    for (Object o : (Object[]) rs.getArray(1).getArray()) {
                        key.add((String) o);
                    }
                }
            }
        }
        return Optional.of(new Table(cols, key));
    }
}
