package dev.ferry.schema;

import java.util.HashMap;
import java.util.Map;

import dev.ferry.core.ops.RouteOperations;
import dev.ferry.core.schema.SchemaResult;
import dev.ferry.schema.report.SchemaConsole;
import dev.ferry.schema.report.SchemaReports;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;

/**
 * The JMX entry point of versioned schema changes
 * (org.apache.camel:context=ferry,type=services,name=SchemaControl). Every operation goes through
 * the route the CLI uses (direct:schema) and answers with what the CLI prints. An empty target
 * means Ferry's own database; project {@code ferry} is Ferry's built-in one.
 */
@ManagedResource(description = "Ferry's versioned schema changes: status, migrate, undo, verify, history, diff, test")
public final class SchemaControl extends RouteOperations {

    private final SchemaReports reports;

    public SchemaControl(SchemaReports reports) {
        this.reports = reports;
    }

    @ManagedAttribute(description = "Summary of the last schema verify in this process (from the Quartz check, the CLI or JMX)")
    public String getLastVerify() {
        return reports.last("verify");
    }

    @ManagedAttribute(description = "Summary of the last schema diff in this process: live schema vs what the applied versions produce")
    public String getLastDiff() {
        return reports.last("diff");
    }

    @ManagedOperation(description = "Current version, pending versions and drift of a project folder on a target (empty: Ferry's database)")
    public String status(String project, String target) {
        return send("status", project, target, null, false, null);
    }

    @ManagedOperation(description = "Applies the pending versions up to 'to' (empty: all); dryRun only lists the SQL")
    public String migrate(String project, String target, String to, boolean dryRun) {
        return send("migrate", project, target, to, dryRun, null);
    }

    @ManagedOperation(description = "Undoes versions down to 'to' (which stays applied; empty: the last one); confirm with UNDO unless dryRun")
    public String undo(String project, String target, String to, boolean dryRun, String confirm) {
        return send("undo", project, target, to, dryRun, confirm);
    }

    @ManagedOperation(description = "Runs each version's verify.sql, in order")
    public String verify(String project, String target) {
        return send("verify", project, target, null, false, null);
    }

    @ManagedOperation(description = "Applied and undone versions: who, when, how long, checksum, outcome")
    public String history(String project, String target) {
        return send("history", project, target, null, false, null);
    }

    @ManagedOperation(description = "The live schema against the schema the applied versions produce on a scratch database")
    public String diff(String project, String target) {
        return send("diff", project, target, null, false, null);
    }

    @ManagedOperation(description = "Round trip on a scratch database: up, verify, down, catalog equal, up again, for every version")
    public String test(String project, String target) {
        return send("test", project, target, null, false, null);
    }

    private String send(String command, String project, String target, String to, boolean dryRun, String confirm) {
        Map<String, Object> h = new HashMap<>();
        h.put("FerrySchemaCommand", command);
        h.put("FerrySchemaProject", project);
        put(h, "FerrySchemaTarget", target);
        put(h, "FerrySchemaTo", to);
        put(h, "FerryConfirm", confirm);
        h.put("FerryDryRun", dryRun);
        try {
            return SchemaConsole.render(template().requestBodyAndHeaders("direct:schema", null, h, SchemaResult.class));
        } catch (RuntimeException e) {
            throw plainFailure("schema " + command + " of " + project, e);
        }
    }

    private static void put(Map<String, Object> h, String key, String value) {
        if (value != null && !value.isBlank()) {
            h.put(key, value);
        }
    }
}
