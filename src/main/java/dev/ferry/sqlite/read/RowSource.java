package dev.ferry.sqlite.read;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Streams a source table's rows in a stable order: by rowid from a checkpoint on, or,
 * for a table without rowid (and a view), in primary-key order from a row count on.
 * Values come in SQLite's storage class of each value (Long, Double, String, byte[]).
 * Text that is not valid UTF-8 comes as its raw bytes, so the converter rejects it.
 */
public final class RowSource implements Rows {

    private final PreparedStatement ps;
    private final ResultSet rs;
    private final int columns;
    private final boolean rowid;
    /** The column that is the rowid under its own name (INTEGER PRIMARY KEY), or -1: then rowid is selected too. */
    private final int alias;
    private final int offset;
    private long position;

    public RowSource(Connection c, SourceTable t, long after, String extraCondition, List<Object> extraParams) throws SQLException {
        this(c, t, after, Long.MAX_VALUE, extraCondition, extraParams);
    }

    /** Rows after {@code after} up to {@code upTo} (rowids, inclusive; ignored without rowid). */
    public RowSource(Connection c, SourceTable t, long after, long upTo, String extraCondition, List<Object> extraParams) throws SQLException {
        StringBuilder cols = new StringBuilder();
        for (SourceColumn col : t.columns()) {
            cols.append(", ").append(SqliteSource.quote(col.name()));
        }
        this.columns = t.columns().size();
        this.rowid = t.hasRowid();
        // reading a value costs two native calls; an INTEGER PRIMARY KEY already is the rowid, so it is not read twice
        this.alias = t.rowidAlias() ? t.columns().indexOf(t.column(t.primaryKey().get(0))) : -1;
        this.offset = alias >= 0 ? 1 : 2;
        String where = extraCondition == null ? "" : " AND (" + extraCondition + ")";
        String sql;
        if (alias >= 0) {
            String key = SqliteSource.quote(t.columns().get(alias).name());
            sql = "SELECT " + cols.substring(2) + " FROM " + SqliteSource.quote(t.name()) + " WHERE " + key + " > ? AND " + key + " <= ?" + where
                    + " ORDER BY " + key;
        } else if (rowid) {
            sql = "SELECT rowid" + cols + " FROM " + SqliteSource.quote(t.name()) + " WHERE rowid > ? AND rowid <= ?" + where + " ORDER BY rowid";
        } else {
            String order = t.primaryKey().isEmpty() ? "1" : String.join(", ", t.primaryKey().stream().map(SqliteSource::quote).toList());
            sql = "SELECT 0" + cols + " FROM " + SqliteSource.quote(t.name()) + " WHERE 1 = 1" + where + " ORDER BY " + order + " LIMIT -1 OFFSET ?";
        }
        ps = c.prepareStatement(sql);
        int i = 1;
        if (rowid) {
            ps.setLong(i++, after);
            ps.setLong(i++, upTo);
        }
        for (Object p : extraParams) {
            ps.setObject(i++, p);
        }
        if (!rowid) {
            after = Math.max(0, after);
            ps.setLong(i, after);
        }
        this.position = after;
        rs = ps.executeQuery();
    }

    @Override
    public Object[] next() throws SQLException {
        if (!rs.next()) {
            return null;
        }
        if (rowid && alias < 0) {
            position = rs.getLong(1);
        } else if (!rowid) {
            position++;
        }
        Object[] row = new Object[columns];
        for (int i = 0; i < columns; i++) {
            Object v = rs.getObject(i + offset);
            if (v instanceof String s && s.indexOf('\uFFFD') >= 0) {
                v = rs.getBytes(i + offset); // maybe a genuine U+FFFD, maybe bytes the driver replaced: the converter decodes strictly
                if (v instanceof byte[] b && new String(b, java.nio.charset.StandardCharsets.UTF_8).equals(s) && isValid(b)) {
                    v = s;
                }
            }
            row[i] = v;
            if (i == alias) {
                position = ((Number) v).longValue();
            }
        }
        return row;
    }

    private static boolean isValid(byte[] b) {
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void close() throws SQLException {
        try {
            rs.close();
        } finally {
            ps.close();
        }
    }
}
