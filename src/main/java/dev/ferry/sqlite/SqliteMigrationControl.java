package dev.ferry.sqlite;

import java.util.HashMap;
import java.util.Map;

import dev.ferry.core.ops.RouteOperations;
import dev.ferry.sqlite.report.MigrationConsole;
import dev.ferry.sqlite.report.MigrationResult;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;

/**
 * The JMX entry point of the SQLite migration, beside Ferry's other MBean under Camel's
 * domain (org.apache.camel:context=ferry,type=services,name=SqliteMigrationControl), so
 * Jolokia's policy lets Hawtio reach it too. Each operation goes through the same route as
 * the CLI and the inbox (direct:sqlite-migrate) and answers with the summary the CLI prints.
 */
@ManagedResource(description = "Ferry's SQLite migration: migrate, validate, resume")
public final class SqliteMigrationControl extends RouteOperations {

    @ManagedOperation(description = "Migrates a SQLite file (route sqlite-migration); empty arguments take the defaults; conflict is skip, update or fail")
    public String migrate(String file, String tables, String targetSchema, String conflict, boolean dryRun) {
        Map<String, Object> h = headers(file, tables, targetSchema);
        put(h, "FerryConflict", conflict);
        h.put("FerryDryRun", dryRun);
        return send(h);
    }

    @ManagedOperation(description = "Compares a SQLite file with the target: counts, checksums, foreign keys")
    public String validate(String file, String tables, String targetSchema) {
        Map<String, Object> h = headers(file, tables, targetSchema);
        h.put("FerryValidateOnly", true);
        return send(h);
    }

    @ManagedOperation(description = "Continues the interrupted run of a file after its last committed batch")
    public String resume(String file, String targetSchema) {
        Map<String, Object> h = headers(file, null, targetSchema);
        h.put("FerryResume", true);
        return send(h);
    }

    private String send(Map<String, Object> headers) {
        try {
            return MigrationConsole.render(template().requestBodyAndHeaders("direct:sqlite-migrate", null, headers, MigrationResult.class));
        } catch (RuntimeException e) {
            throw plainFailure("SQLite migration of " + headers.get("FerrySqliteFile"), e);
        }
    }

    private static Map<String, Object> headers(String file, String tables, String schema) {
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("file is required");
        }
        Map<String, Object> h = new HashMap<>();
        h.put("FerrySqliteFile", file);
        put(h, "FerryTables", tables);
        put(h, "FerryTargetSchema", schema);
        return h;
    }

    private static void put(Map<String, Object> h, String key, String value) {
        if (value != null && !value.isBlank()) {
            h.put(key, value);
        }
    }
}
