package dev.ferry.core.ops;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.ValidationReports;
import dev.ferry.core.report.ValidationResult;
import dev.ferry.core.runs.RunRollback;
import dev.ferry.core.runs.RunStore;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ferry's MBean (JConsole, VisualVM, Hawtio through Jolokia):
 * {@code org.apache.camel:context=ferry,type=services,name=FerryOperations}. Every operation
 * sends to the same routes as the CLI, so JMX can do nothing the CLI could not.
 */
@ManagedResource(description = "Ferry: recent runs, totals, migrate, validate and rollback")
public final class FerryOperations extends RouteOperations {

    private static final Logger LOG = LoggerFactory.getLogger(FerryOperations.class);
    static final int RECENT_RUNS = 20;

    private final RunStore runs;
    private final ValidationReports validations;
    public FerryOperations(RunStore runs, ValidationReports validations) {
        this.runs = runs;
        this.validations = validations;
    }

    @ManagedAttribute(description = "The 20 most recent runs, newest first: id, flow, file, status, read/loaded/duplicates/rejected")
    public String[] getRecentRuns() {
        return guarded("listing runs", () -> runs.recent(RECENT_RUNS).stream().map(FerryOperations::runLine).toArray(String[]::new));
    }

    @ManagedAttribute(description = "Rows (orders + fills + positions) written by the runs whose rows are still in place: real runs, completed, not rolled back")
    public long getTotalRowsLoaded() {
        return guarded("adding up loaded rows", () -> runs.totals().rows());
    }

    @ManagedAttribute(description = "Records rejected by the runs whose rows are still in place")
    public long getTotalRejects() {
        return guarded("adding up rejects", () -> runs.totals().rejected());
    }

    @ManagedAttribute(description = "Summary of the last validation run in this process, from any entry point (VALID ... or INVALID ...)")
    public String getLastValidation() {
        ValidationResult last = validations.last();
        return last == null ? "no validation has run since Ferry started" : last + "; report " + validations.lastHtml();
    }

    @ManagedOperation(description = "Migrates a bot's data folder for one user (route migrate-data-dir); one line per file")
    public String migrateDataDir(String dataDir, long userId, boolean dryRun) {
        requireText(dataDir, "dataDir");
        List<?> results = send("migrating " + dataDir, "direct:migrate-data-dir",
                Map.of("FerryDataDir", dataDir, "FerryUserId", userId, "FerryDryRun", dryRun), List.class);
        if (results == null || results.isEmpty()) {
            return "no bot files in " + dataDir;
        }
        return results.stream().map(r -> r instanceof RunResult rr ? rr.summaryLine() : String.valueOf(r))
                .collect(Collectors.joining("\n"));
    }

    @ManagedOperation(description = "Validates a bot's data folder for one user without loading it (route validate)")
    public String validate(long userId, String dataDir) {
        requireText(dataDir, "dataDir");
        Object result;
        try {
            // block=false: without a validate route the answer is immediate, not a 30 s wait for a consumer
            result = template().requestBodyAndHeaders("direct:validate?block=false", null,
                    Map.of("FerryUserId", userId, "FerryDataDir", dataDir), Object.class);
        } catch (RuntimeException e) {
            if (causedBy(e, DirectConsumerNotAvailableException.class)) {
                return "validation is not available: no running route consumes direct:validate in this Ferry";
            }
            throw failure("validating " + dataDir, e);
        }
        return String.valueOf(result);
    }

    @ManagedOperation(description = "Rolls back one run (route rollback-run); confirm must be DELETE; force also removes rows changed since")
    public String rollbackRun(long runId, String confirm, boolean force) {
        return rollback(runId, false, force, confirm == null ? "" : confirm.strip());
    }

    @ManagedOperation(description = "Shows what rolling back one run would remove, and removes nothing")
    public String rollbackRunDryRun(long runId) {
        return rollback(runId, true, false, "");
    }

    private String rollback(long runId, boolean dryRun, boolean force, String confirm) {
        Map<String, Object> headers = new HashMap<>(Map.of("FerryRunId", runId, "FerryDryRun", dryRun, "FerryForce", force,
                "FerryConfirm", confirm));
        if (!dryRun && !RunRollback.CONFIRMATION.equals(confirm)) {
            LOG.warn("JMX rollback of run {} without the confirmation {}; the route records it as refused", runId, RunRollback.CONFIRMATION);
        }
        RunResult r = send("rolling back run " + runId, "direct:rollback-run", headers, RunResult.class);
        StringBuilder sb = new StringBuilder(r.summaryLine());
        r.getKept().forEach(k -> sb.append("\nkept ").append(k));
        return sb.toString();
    }

    private <T> T send(String what, String uri, Map<String, Object> headers, Class<T> type) {
        try {
            return template().requestBodyAndHeaders(uri, null, headers, type);
        } catch (RuntimeException e) {
            throw failure(what, e);
        }
    }

    private static <T> T guarded(String what, Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            throw failure(what, e);
        }
    }

    private static IllegalStateException failure(String what, Throwable e) {
        LOG.warn("JMX operation failed while {}: {}", what, e.getMessage(), e);
        return plainFailure(what, e);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    static String runLine(RunResult r) {
        return String.format("%d %s %s %s%s read=%d loaded=%d duplicates=%d rejected=%d", r.getRunId(), r.getFlow(),
                r.getSourceFile(), r.isDryRun() ? "dry-run " : "", r.getStatus().dbValue(), r.getRecordsRead(), r.getLoaded(),
                r.getDuplicates(), r.getRejected());
    }
}
