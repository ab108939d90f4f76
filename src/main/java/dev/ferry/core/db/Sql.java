package dev.ferry.core.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** One parameterised statement on the caller's connection (and so in its transaction). */
public final class Sql {

    private Sql() {
    }

    /**
     * An identifier that came from outside Ferry's code (a source's table or column name, a schema
     * the user named) as PostgreSQL reads it whatever it holds: quotes, spaces, upper case, a
     * semicolon. Values never go through here: they are parameters.
     */
    public static String ident(String name) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a usable SQL identifier: " + (name == null ? "null" : "'" + name.replace("\0", "\\0") + "'"));
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** Runs an INSERT, UPDATE or DELETE and returns the rows it touched. */
    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    /** The first column of the query's first row as a number (a count, a sum); 0 when it is NULL. */
    public static long number(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Whether the query returns a row. */
    public static boolean exists(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            return rs.next();
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }
}
