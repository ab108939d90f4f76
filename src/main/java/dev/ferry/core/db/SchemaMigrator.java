package dev.ferry.core.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema with Flyway's community edition, plus the one thing it lacks:
 * undo. Every db/migration/V{n}__x.sql has a db/undo/U{n}__x.sql that Ferry
 * applies in reverse order, removing the version from Flyway's history.
 */
public final class SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private final DataSource dataSource;
    private final Flyway flyway;

    public SchemaMigrator(DataSource dataSource) {
        this.dataSource = dataSource;
        this.flyway = Flyway.configure()
                .dataSource(dataSource)
                .schemas("ferry")
                .defaultSchema("ferry")
                .locations("classpath:db/migration")
                .loggers("slf4j")
                .load();
    }

    public MigrateResult migrate() {
        MigrateResult result = flyway.migrate();
        if (result.migrationsExecuted > 0) {
            LOG.info("Schema migrated to version {} ({} migration(s) applied)", result.targetSchemaVersion, result.migrationsExecuted);
        }
        return result;
    }

    /** Applied and pending versions, newest last. */
    public List<SchemaVersion> info() {
        List<SchemaVersion> out = new ArrayList<>();
        for (MigrationInfo mi : flyway.info().all()) {
            if (mi.getVersion() == null) {
                continue;
            }
            out.add(new SchemaVersion(mi.getVersion().getVersion(), mi.getDescription(), mi.getState().getDisplayName(),
                    mi.getInstalledOn() == null ? null : mi.getInstalledOn().toInstant().toString(),
                    undoScript(mi.getScript()) != null));
        }
        return out;
    }

    /**
     * Undoes every applied version above {@code targetVersion}, newest first, each in
     * its own transaction together with the removal of its history row.
     */
    public List<String> undoTo(int targetVersion) {
        List<MigrationInfo> applied = new ArrayList<>(List.of(flyway.info().applied()));
        applied.removeIf(mi -> mi.getVersion() == null || Integer.parseInt(mi.getVersion().getVersion()) <= targetVersion);
        applied.sort(Comparator.comparing((MigrationInfo mi) -> mi.getVersion()).reversed());
        List<String> undone = new ArrayList<>();
        for (MigrationInfo mi : applied) {
            String script = undoScript(mi.getScript());
            if (script == null) {
                throw new IllegalStateException("version " + mi.getVersion() + " (" + mi.getScript() + ") has no undo script in db/undo");
            }
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try (Statement st = c.createStatement()) {
                    st.execute(script);
                }
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM ferry.flyway_schema_history WHERE version = ?")) {
                    ps.setString(1, mi.getVersion().getVersion());
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                throw DatabaseUnavailableException.wrap("undoing version " + mi.getVersion(), e);
            }
            LOG.info("Undid schema version {} ({})", mi.getVersion(), mi.getDescription());
            undone.add(mi.getVersion().getVersion());
        }
        return undone;
    }

    private static String undoScript(String migrationScript) {
        if (migrationScript == null || !migrationScript.startsWith("V")) {
            return null;
        }
        String name = "db/undo/U" + migrationScript.substring(1);
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    public record SchemaVersion(String version, String description, String state, String installedOn, boolean undoable) {
    }
}
