package dev.ferry.core.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** One parameterised statement on the caller's connection (and so in its transaction). */
public final class Sql {

    private Sql() {
    }

    /** Runs an INSERT, UPDATE or DELETE and returns the rows it touched. */
    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        }
    }
}
