package dev.ferry.core.schema;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.ferry.core.schema.project.SqlScript;
import dev.ferry.core.schema.project.SqlStatement;

/**
 * Runs one script of a version. Consecutive statements share one transaction; a statement that
 * PostgreSQL refuses inside a transaction (CREATE INDEX CONCURRENTLY) runs on its own between
 * them. The bookkeeping ({@code finish}) commits with the last change, so a version is recorded
 * as applied exactly when its last statement is. A failing statement rolls back its transaction,
 * and an index that a failed CONCURRENTLY build left INVALID is dropped.
 */
final class ScriptRunner {

    @FunctionalInterface
    interface Work {
        void run(Connection c) throws SQLException;
    }

    private ScriptRunner() {
    }

    /** The script's statements grouped as they will run: a transaction's statements, or one statement alone. */
    static List<List<SqlStatement>> segments(SqlScript script) {
        List<List<SqlStatement>> out = new ArrayList<>();
        List<SqlStatement> current = null;
        for (SqlStatement s : script.statements()) {
            if (s.outsideTransaction()) {
                out.add(List.of(s));
                current = null;
            } else {
                if (current == null) {
                    current = new ArrayList<>();
                    out.add(current);
                }
                current.add(s);
            }
        }
        return out;
    }

    static void run(Connection c, SqlScript script, Work finish) throws ScriptFailure, SQLException {
        List<List<SqlStatement>> segments = segments(script);
        boolean committed = false;
        if (segments.isEmpty()) {
            c.setAutoCommit(false);
            finish.run(c);
            c.commit();
            return;
        }
        for (int i = 0; i < segments.size(); i++) {
            List<SqlStatement> seg = segments.get(i);
            boolean last = i == segments.size() - 1;
            if (seg.get(0).outsideTransaction()) {
                SqlStatement s = seg.get(0);
                c.setAutoCommit(true);
                Set<Long> invalidBefore = invalidIndexes(c);
                try {
                    execute(c, s.sql());
                } catch (SQLException e) {
                    dropNewInvalidIndexes(c, invalidBefore);
                    throw new ScriptFailure(script.file(), s.line(), s.sql(), e, committed);
                }
                committed = true;
                if (last) {
                    c.setAutoCommit(false);
                    finish.run(c);
                    c.commit();
                }
            } else {
                c.setAutoCommit(false);
                SqlStatement at = null;
                try {
                    for (SqlStatement s : seg) {
                        at = s;
                        execute(c, s.sql());
                    }
                } catch (SQLException e) {
                    c.rollback();
                    throw new ScriptFailure(script.file(), at.line(), at.sql(), e, committed);
                }
                if (last) {
                    finish.run(c);
                }
                c.commit();
                committed = true;
            }
        }
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            // JDBC escapes ({fn ...}, {d ...}) mean nothing in a migration script and could alter it
            st.setEscapeProcessing(false);
            st.execute(sql);
        }
    }

    private static Set<Long> invalidIndexes(Connection c) throws SQLException {
        Set<Long> out = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT indexrelid::bigint FROM pg_index WHERE NOT indisvalid")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /** A failed CREATE INDEX CONCURRENTLY leaves its index behind, INVALID: drop it so a retry starts clean. */
    private static void dropNewInvalidIndexes(Connection c, Set<Long> before) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT indexrelid::bigint, indexrelid::regclass::text FROM pg_index WHERE NOT indisvalid")) {
            while (rs.next()) {
                if (!before.contains(rs.getLong(1))) {
                    names.add(rs.getString(2));
                }
            }
        }
        for (String name : names) {
            execute(c, "DROP INDEX CONCURRENTLY IF EXISTS " + name);
        }
    }
}
