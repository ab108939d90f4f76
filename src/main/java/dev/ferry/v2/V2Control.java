package dev.ferry.v2;

import java.util.HashMap;
import java.util.Map;

import dev.ferry.core.ops.RouteOperations;
import dev.ferry.v2.report.V2Console;
import dev.ferry.v2.report.V2Reports;
import dev.ferry.v2.report.V2Result;
import org.apache.camel.ServiceStatus;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JMX entry point of the v2 -> v3 migration (org.apache.camel:context=ferry,type=services,name=V2Control).
 * Every operation goes through the route the CLI uses (direct:v2) and answers with what the CLI
 * prints. Empty source and target mean the configured ones (FERRY_V2_URL, Ferry's database).
 */
@ManagedResource(description = "Ferry's v2 -> v3 migration: migrate, sync, validate, cutover, rollback, status")
public final class V2Control extends RouteOperations {

    private static final Logger LOG = LoggerFactory.getLogger(V2Control.class);
    static final String SYNC_ROUTE = "v2-sync";

    private final V2Reports reports;

    public V2Control(V2Reports reports) {
        this.reports = reports;
    }

    @ManagedAttribute(description = "Summary of the last v2 command in this process (CLI, JMX or the Quartz sync)")
    public String getLastResult() {
        return reports.last();
    }

    @ManagedAttribute(description = "State of the Quartz sync route v2-sync (it stops itself after the cutover)")
    public String getSyncState() {
        ServiceStatus s = getCamelContext().getRouteController().getRouteStatus(SYNC_ROUTE);
        return s == null ? "not defined" : s.name();
    }

    @ManagedOperation(description = "The full first pass: v2 -> v3, then the validation; createV3 creates the base schema of a fresh platform")
    public String migrate(String source, String target, boolean dryRun, boolean createV3) {
        Map<String, Object> h = headers("migrate", source, target);
        h.put("FerryDryRun", dryRun);
        h.put("FerryV2CreateV3", createV3);
        return send(h);
    }

    @ManagedOperation(description = "Loads the v2 rows new or changed since the last pass and reports deletions")
    public String sync(String source, String target) {
        return send(headers("sync", source, target));
    }

    @ManagedOperation(description = "v3 against v2: the guide's checks and record by record")
    public String validate(String source, String target) {
        return send(headers("validate", source, target));
    }

    @ManagedOperation(description = "A last sync and the full validation; marks the cutover (and stops the sync) only when v3 matches v2")
    public String cutover(String source, String target) {
        return send(headers("cutover", source, target));
    }

    @ManagedOperation(description = "Undoes run 'run' (0: none) or all v2 runs; withSchema also undoes the compatibility change; confirm with DELETE unless dryRun")
    public String rollback(String target, long run, boolean all, boolean withSchema, boolean dryRun, boolean force, String confirm) {
        Map<String, Object> h = headers("rollback", null, target);
        if (run > 0) {
            h.put("FerryRunId", run);
        }
        h.put("FerryV2All", all);
        h.put("FerryV2WithSchema", withSchema);
        h.put("FerryDryRun", dryRun);
        h.put("FerryForce", force);
        if (confirm != null && !confirm.isBlank()) {
            h.put("FerryConfirm", confirm);
        }
        return send(h);
    }

    @ManagedOperation(description = "What the lineage knows: rows loaded, rejected and deleted per v2 table, and the cutover")
    public String status(String target) {
        return send(headers("status", null, target));
    }

    /** The route's step after a pass: a cutover that happened stops the Quartz sync. */
    public void afterCutover(V2Result r) {
        if ("cutover".equals(r.getCommand()) && Boolean.TRUE.equals(r.getSafeToSwitch())) {
            stopSync();
        }
    }

    /** Stops the Quartz sync route from outside its own thread (a route cannot wait for itself to stop). */
    public void stopSync() {
        ServiceStatus s = getCamelContext().getRouteController().getRouteStatus(SYNC_ROUTE);
        if (s == null || !s.isStarted()) {
            return;
        }
        LOG.info("v2 has been cut over to v3: stopping the sync route {}", SYNC_ROUTE);
        Thread t = new Thread(() -> {
            try {
                getCamelContext().getRouteController().stopRoute(SYNC_ROUTE);
            } catch (Exception e) {
                LOG.warn("stopping {}: {}", SYNC_ROUTE, e.getMessage());
            }
        }, "ferry-v2-sync-stop");
        t.setDaemon(true);
        t.start();
    }

    private static Map<String, Object> headers(String command, String source, String target) {
        Map<String, Object> h = new HashMap<>();
        h.put("FerryV2Command", command);
        if (source != null && !source.isBlank()) {
            h.put("FerryV2Source", source);
        }
        if (target != null && !target.isBlank()) {
            h.put("FerryV2Target", target);
        }
        return h;
    }

    private String send(Map<String, Object> h) {
        try {
            String to = "migrate".equals(h.get("FerryV2Command")) ? "direct:v2-migrate" : "direct:v2";
            return V2Console.render(template().requestBodyAndHeaders(to, null, h, V2Result.class));
        } catch (RuntimeException e) {
            throw plainFailure("v2 " + h.get("FerryV2Command"), e);
        }
    }
}
