package dev.ferry.core.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

import dev.ferry.core.schema.project.SchemaProject;
import dev.ferry.core.schema.project.Version;

/**
 * Ferry's own bookkeeping (schemas {@code ferry} and {@code trading}) as the built-in project
 * {@code ferry}, on the same engine as the users' projects. Databases that an older Ferry set up
 * with Flyway are adopted from Flyway's history table the first time, without running anything.
 */
public final class FerrySchema {

    public static final String NAME = "ferry";

    private FerrySchema() {
    }

    public static SchemaProject project() {
        return SchemaProject.classpath(NAME, "schema/ferry");
    }

    /** The highest version Flyway recorded as applied in {@code ferry.flyway_schema_history}, if that table is there. */
    public static SchemaEngine.Baseline flywayHistory() {
        return c -> {
            if (!exists(c, "ferry.flyway_schema_history")) {
                return Optional.empty();
            }
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT max(version::int) FROM ferry.flyway_schema_history WHERE success AND version ~ '^[0-9]+$'")) {
                if (!rs.next() || rs.getObject(1) == null) {
                    return Optional.empty();
                }
                return Optional.of(new SchemaEngine.Detected(Version.parse(Integer.toString(rs.getInt(1))),
                        "adopted from Flyway's history (ferry.flyway_schema_history), which an earlier Ferry kept"));
            }
        };
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
