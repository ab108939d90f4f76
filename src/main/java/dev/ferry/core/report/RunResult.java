package dev.ferry.core.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one result of an import run. The CLI prints it, the JSON report serialises
 * it, the run row in ferry.runs stores its counts. Counts always reconcile:
 * recordsRead = loaded + duplicates + rejected.
 */
public final class RunResult {

    private Long runId;
    private String flow;
    private String sourceFile;
    private String checksum;
    private Long userId;
    private boolean dryRun;
    private RunStatus status = RunStatus.RUNNING;
    private Instant startedAt = Instant.now();
    private Instant endedAt;
    private long recordsRead;
    private long loaded;
    private long orders;
    private long fills;
    private long positions;
    private long duplicates;
    private long rejected;
    private String message;
    private Long duplicateOfRun;
    private final List<RejectedRecord> rejects = new ArrayList<>();
    /** Rows a rollback left in place, and why (changed or referenced since the run). */
    private final List<String> kept = new ArrayList<>();

    public RunResult() {
    }

    public RunResult(String flow, String sourceFile, Long userId, boolean dryRun) {
        this.flow = flow;
        this.sourceFile = sourceFile;
        this.userId = userId;
        this.dryRun = dryRun;
    }

    /** Ends the run; a completed run with rejects is reported as such. */
    public RunResult finish(RunStatus end, String why) {
        this.status = end == RunStatus.COMPLETED && rejected > 0 ? RunStatus.COMPLETED_WITH_REJECTS : end;
        this.message = why;
        this.endedAt = Instant.now();
        return this;
    }

    public boolean reconciles() {
        return recordsRead == loaded + duplicates + rejected;
    }

    public long getDurationMillis() {
        return Duration.between(startedAt, endedAt == null ? Instant.now() : endedAt).toMillis();
    }

    /** One line for logs and the CLI. */
    public String summaryLine() {
        StringBuilder sb = new StringBuilder();
        sb.append(dryRun ? "[dry-run] " : "").append(flow).append(' ').append(sourceFile)
                .append(" run ").append(runId).append(": ").append(status.dbValue());
        if (status != RunStatus.REFUSED && status != RunStatus.INVALID && status != RunStatus.FAILED && status != RunStatus.DUPLICATE_FILE) {
            sb.append(" read=").append(recordsRead).append(" loaded=").append(loaded)
                    .append(" duplicates=").append(duplicates).append(" rejected=").append(rejected)
                    .append(" orders=").append(orders).append(" fills=").append(fills);
            if (positions > 0) {
                sb.append(" positions=").append(positions);
            }
        }
        if (message != null) {
            sb.append(" (").append(message).append(')');
        }
        return sb.toString();
    }

    public Long getRunId() { return runId; }
    public void setRunId(Long runId) { this.runId = runId; }
    public String getFlow() { return flow; }
    public void setFlow(String flow) { this.flow = flow; }
    public String getSourceFile() { return sourceFile; }
    public void setSourceFile(String sourceFile) { this.sourceFile = sourceFile; }
    public String getChecksum() { return checksum; }
    public void setChecksum(String checksum) { this.checksum = checksum; }
    public Long getUserId() { return userId; }
    public void setUserId(Long userId) { this.userId = userId; }
    public boolean isDryRun() { return dryRun; }
    public void setDryRun(boolean dryRun) { this.dryRun = dryRun; }
    public RunStatus getStatus() { return status; }
    public void setStatus(RunStatus status) { this.status = status; }
    public Instant getStartedAt() { return startedAt; }
    public void setStartedAt(Instant startedAt) { this.startedAt = startedAt; }
    public Instant getEndedAt() { return endedAt; }
    public void setEndedAt(Instant endedAt) { this.endedAt = endedAt; }
    public long getRecordsRead() { return recordsRead; }
    public void setRecordsRead(long recordsRead) { this.recordsRead = recordsRead; }
    public long getLoaded() { return loaded; }
    public void setLoaded(long loaded) { this.loaded = loaded; }
    public long getOrders() { return orders; }
    public void setOrders(long orders) { this.orders = orders; }
    public long getFills() { return fills; }
    public void setFills(long fills) { this.fills = fills; }
    public long getPositions() { return positions; }
    public void setPositions(long positions) { this.positions = positions; }
    public long getDuplicates() { return duplicates; }
    public void setDuplicates(long duplicates) { this.duplicates = duplicates; }
    public long getRejected() { return rejected; }
    public void setRejected(long rejected) { this.rejected = rejected; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
    public Long getDuplicateOfRun() { return duplicateOfRun; }
    public void setDuplicateOfRun(Long duplicateOfRun) { this.duplicateOfRun = duplicateOfRun; }
    public List<RejectedRecord> getRejects() { return rejects; }
    public List<String> getKept() { return kept; }
}
