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
        run(c, script, finish, null);
    }

    /** As {@link #run(Connection, SqlScript, Work)}; a script marked {@code -- ferry:online} runs under the policy, statement by statement. */
    static void run(Connection c, SqlScript script, Work finish, OnlinePolicy online) throws ScriptFailure, SQLException {
        if (online != null && script.online() && !script.isEmpty()) {
            runOnline(c, script, finish, online);
            return;
        }
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
                try {
                    executeAlone(c, s);
                } catch (SQLException e) {
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

    /**
     * Each statement in a short transaction of its own (or alone, for CONCURRENTLY) under
     * lock_timeout: while it waits for its lock, the application's queries that queue behind it
     * wait at most that long. One that timed out is rolled back and tried again after a pause,
     * until the policy's longest wait; the bookkeeping commits with the last statement.
     */
    private static void runOnline(Connection c, SqlScript script, Work finish, OnlinePolicy online) throws ScriptFailure, SQLException {
        List<SqlStatement> statements = script.statements();
        boolean committed = false;
        try {
            execute(c, "SET lock_timeout = " + Math.max(1, online.lockTimeout().toMillis()));
            for (int i = 0; i < statements.size(); i++) {
                SqlStatement s = statements.get(i);
                boolean last = i == statements.size() - 1;
                long deadline = System.nanoTime() + online.maxWait().toNanos();
                for (int attempt = 1; ; attempt++) {
                    try {
                        attemptOnline(c, s, last && !s.outsideTransaction() ? finish : null);
                        break;
                    } catch (SQLException e) {
                        if (!"55P03".equals(e.getSQLState()) || System.nanoTime() > deadline) {
                            throw new ScriptFailure(script.file(), s.line(), s.sql(), e, committed);
                        }
                        try {
                            online.pause(attempt);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            throw new ScriptFailure(script.file(), s.line(), s.sql(), e, committed);
                        }
                    }
                }
                committed = true;
                if (last && s.outsideTransaction()) {
                    c.setAutoCommit(false);
                    finish.run(c);
                    c.commit();
                }
            }
        } finally {
            try {
                c.setAutoCommit(true);
                execute(c, "RESET lock_timeout");
            } catch (SQLException e) {
                // the connection is gone: the failure being thrown says more than this one
            }
        }
    }

    private static void attemptOnline(Connection c, SqlStatement s, Work finish) throws SQLException {
        if (s.outsideTransaction()) {
            executeAlone(c, s);
            return;
        }
        c.setAutoCommit(false);
        try {
            execute(c, s.sql());
            if (finish != null) {
                finish.run(c);
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    /** A statement PostgreSQL runs only outside a transaction; an index its failure left INVALID is dropped. */
    private static void executeAlone(Connection c, SqlStatement s) throws SQLException {
        c.setAutoCommit(true);
        Set<Long> invalidBefore = invalidIndexes(c);
        try {
            execute(c, s.sql());
        } catch (SQLException e) {
            dropNewInvalidIndexes(c, invalidBefore);
            throw e;
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
