package dev.ferry.core.schema;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.core.schema.project.Version;

/**
 * The engine's bookkeeping in the target database, schema {@code ferry_schema}: which versions of
 * which project are applied (with the checksum of what was applied and the state of its
 * backfill), and every attempt, successful or not, in order. The applied row of a version
 * commits in the transaction of its last change, so the two never disagree.
 */
final class SchemaHistory {

    static final String SCHEMA = "ferry_schema";

    private static final String DDL = """
            CREATE SCHEMA IF NOT EXISTS ferry_schema;
            CREATE TABLE IF NOT EXISTS ferry_schema.applied (
                project         text        NOT NULL,
                version         text        NOT NULL,
                description     text        NOT NULL,
                checksum        text        NOT NULL,
                applied_at      timestamptz NOT NULL DEFAULT now(),
                applied_by      text        NOT NULL,
                backfill_state  text        CHECK (backfill_state IN ('pending', 'done')),
                backfill_last_key text,
                backfill_rows   bigint      NOT NULL DEFAULT 0,
                PRIMARY KEY (project, version)
            );
            CREATE TABLE IF NOT EXISTS ferry_schema.history (
                id              bigserial   PRIMARY KEY,
                project         text        NOT NULL,
                version         text        NOT NULL,
                description     text,
                operation       text        NOT NULL CHECK (operation IN ('up', 'down', 'backfill', 'baseline', 'rebaseline')),
                checksum        text,
                started_at      timestamptz NOT NULL,
                finished_at     timestamptz NOT NULL DEFAULT now(),
                duration_ms     bigint      NOT NULL,
                outcome         text        NOT NULL CHECK (outcome IN ('success', 'failed')),
                applied_by      text        NOT NULL,
                detail          text,
                error_file      text,
                error_line      integer,
                error_statement text
            );
            CREATE INDEX IF NOT EXISTS history_project ON ferry_schema.history (project, id)
            """;

    /** Who ran a change: the database role and the operating-system user and host of the Ferry process. */
    static String actor(Connection c) throws SQLException {
        String role;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT current_user")) {
            rs.next();
            role = rs.getString(1);
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return role + " (" + System.getProperty("user.name") + "@" + host + ")";
    }

    static void ensure(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute(DDL);
        } finally {
            c.setAutoCommit(auto);
        }
    }

    static boolean exists(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT to_regclass('ferry_schema.applied') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    record Applied(Version version, String description, String checksum, Instant appliedAt, String appliedBy,
                   String backfillState, String backfillLastKey, long backfillRows) {
        boolean backfillPending() {
            return "pending".equals(backfillState);
        }
    }

    /** The applied versions of a project, oldest version first; empty when the bookkeeping is not there yet. */
    static Map<Version, Applied> applied(Connection c, String project) throws SQLException {
        Map<Version, Applied> out = new LinkedHashMap<>();
        if (!exists(c)) {
            return out;
        }
        List<Applied> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT version, description, checksum, applied_at, applied_by, backfill_state, "
                + "backfill_last_key, backfill_rows FROM ferry_schema.applied WHERE project = ?")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Applied(Version.parse(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8)));
                }
            }
        }
        rows.sort((a, b) -> a.version().compareTo(b.version()));
        rows.forEach(a -> out.put(a.version(), a));
        return out;
    }

    static void insertApplied(Connection c, String project, Version v, String description, String checksum, String actor,
                              boolean backfill) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_schema.applied (project, version, description, checksum, applied_by, "
                + "backfill_state) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, project);
            ps.setString(2, v.toString());
            ps.setString(3, description);
            ps.setString(4, checksum);
            ps.setString(5, actor);
            ps.setString(6, backfill ? "pending" : null);
            ps.executeUpdate();
        }
    }

    static void deleteApplied(Connection c, String project, Version v) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_schema.applied WHERE project = ? AND version = ?")) {
            ps.setString(1, project);
            ps.setString(2, v.toString());
            ps.executeUpdate();
        }
    }

    static void updateChecksum(Connection c, String project, Version v, String checksum) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_schema.applied SET checksum = ? WHERE project = ? AND version = ?")) {
            ps.setString(1, checksum);
            ps.setString(2, project);
            ps.setString(3, v.toString());
            ps.executeUpdate();
        }
    }

    static void backfillProgress(Connection c, String project, Version v, String lastKey, long rows, boolean done) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_schema.applied SET backfill_last_key = ?, "
                + "backfill_rows = backfill_rows + ?, backfill_state = ? WHERE project = ? AND version = ?")) {
            ps.setString(1, lastKey);
            ps.setLong(2, rows);
            ps.setString(3, done ? "done" : "pending");
            ps.setString(4, project);
            ps.setString(5, v.toString());
            ps.executeUpdate();
        }
    }

    /** One attempt; written in the caller's transaction (with the change it records) or on its own for a failure. */
    static void record(Connection c, String project, Version v, String description, String operation, String checksum,
                       Instant started, String outcome, String actor, String detail, String errorFile, Integer errorLine,
                       String errorStatement) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_schema.history (project, version, description, operation, checksum, "
                + "started_at, duration_ms, outcome, applied_by, detail, error_file, error_line, error_statement) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, project);
            ps.setString(2, v.toString());
            ps.setString(3, description);
            ps.setString(4, operation);
            ps.setString(5, checksum);
            ps.setTimestamp(6, Timestamp.from(started));
            ps.setLong(7, Math.max(0, Instant.now().toEpochMilli() - started.toEpochMilli()));
            ps.setString(8, outcome);
            ps.setString(9, actor);
            ps.setString(10, detail);
            ps.setString(11, errorFile);
            if (errorLine == null) {
                ps.setNull(12, java.sql.Types.INTEGER);
            } else {
                ps.setInt(12, errorLine);
            }
            ps.setString(13, errorStatement);
            ps.executeUpdate();
        }
    }

    static List<SchemaResult.HistoryEntry> entries(Connection c, String project) throws SQLException {
        List<SchemaResult.HistoryEntry> out = new ArrayList<>();
        if (!exists(c)) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, version, description, operation, checksum, started_at, duration_ms, outcome, "
                + "applied_by, detail, error_file, error_line, error_statement FROM ferry_schema.history WHERE project = ? ORDER BY id")) {
            ps.setString(1, project);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Integer line = rs.getObject(12) == null ? null : rs.getInt(12);
                    out.add(new SchemaResult.HistoryEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getTimestamp(6).toInstant(), rs.getLong(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            rs.getString(11), line, rs.getString(13)));
                }
            }
        }
        return out;
    }
}
