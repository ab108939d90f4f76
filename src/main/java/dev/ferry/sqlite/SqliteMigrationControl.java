package dev.ferry.sqlite;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import dev.ferry.sqlite.report.MigrationConsole;
import dev.ferry.sqlite.report.MigrationResult;

/**
 * The JMX entry point of the SQLite migration. Each operation goes through the same
 * route as the CLI and the inbox (the sender given here sends to direct:sqlite-migrate),
 * and answers with the same summary the CLI prints.
 */
public final class SqliteMigrationControl implements SqliteMigrationControlMBean {

    public static final String NAME = "dev.ferry:type=SqliteMigration";

    private final Function<Map<String, Object>, MigrationResult> route;

    public SqliteMigrationControl(Function<Map<String, Object>, MigrationResult> route) {
        this.route = route;
    }

    @Override
    public String migrate(String file, String tables, String targetSchema, String conflict, boolean dryRun) {
        Map<String, Object> h = headers(file, tables, targetSchema);
        put(h, "FerryConflict", conflict);
        h.put("FerryDryRun", dryRun);
        return MigrationConsole.render(route.apply(h));
    }

    @Override
    public String validate(String file, String tables, String targetSchema) {
        Map<String, Object> h = headers(file, tables, targetSchema);
        h.put("FerryValidateOnly", true);
        return MigrationConsole.render(route.apply(h));
    }

    @Override
    public String resume(String file, String targetSchema) {
        Map<String, Object> h = headers(file, null, targetSchema);
        h.put("FerryResume", true);
        return MigrationConsole.render(route.apply(h));
    }

    private static Map<String, Object> headers(String file, String tables, String schema) {
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

    /** Registers on the platform MBean server, replacing an earlier registration (tests start Ferry more than once). */
    public void register() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(NAME);
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
        server.registerMBean(this, name);
    }

    public static void unregister() {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (JMException e) {
            // nothing registered, nothing to remove
        }
    }
}
