package dev.ferry.sqlite.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import dev.ferry.sqlite.convert.Hex;
import dev.ferry.sqlite.read.SqliteSource;
import dev.ferry.sqlite.read.SourceTable;

/**
 * How a source row is named in rejects and validation: its primary key's values
 * ({@code id=7}, {@code ticker=AAPL, date=2025-01-02}), else {@code rowid=N}.
 */
public final class SourceKeys {

    private SourceKeys() {
    }

    public static String of(SourceTable t, Object[] raw, long position) {
        if (t.primaryKey().isEmpty()) {
            return t.hasRowid() ? "rowid=" + position : "row " + position;
        }
        StringBuilder sb = new StringBuilder();
        for (String k : t.primaryKey()) {
            int i = t.columns().indexOf(t.column(k));
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            Object v = raw[i];
            sb.append(k).append('=').append(v instanceof byte[] b ? "x'" + Hex.of(b) + "'" : v);
        }
        return sb.toString();
    }

    /** The key of the row at a rowid, read again from the source: only for the rare row PostgreSQL refused. */
    public static String at(SqliteSource source, SourceTable t, long position) {
        if (t.primaryKey().isEmpty() || !t.hasRowid()) {
            return t.hasRowid() ? "rowid=" + position : "row " + position;
        }
        StringBuilder cols = new StringBuilder();
        for (var col : t.columns()) {
            cols.append(cols.isEmpty() ? "" : ", ").append(SqliteSource.quote(col.name()));
        }
        try (Connection c = source.open();
             PreparedStatement ps = c.prepareStatement("SELECT " + cols + " FROM " + SqliteSource.quote(t.name()) + " WHERE rowid = ?")) {
            ps.setLong(1, position);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return "rowid=" + position;
                }
                Object[] raw = new Object[t.columns().size()];
                for (int i = 0; i < raw.length; i++) {
                    raw[i] = rs.getObject(i + 1);
                }
                return of(t, raw, position);
            }
        } catch (SQLException e) {
            return "rowid=" + position;
        }
    }
}
