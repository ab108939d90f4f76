package dev.ferry.v2.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.core.report.ValidationResult;

/**
 * The one result of a v2 command (migrate, sync, validate, cutover, rollback, status): the CLI,
 * the JSON and HTML reports and JMX all render it. Per v2 table the counts always add up:
 * read = loaded + updated + unchanged + rejected.
 */
public final class V2Result {

    public enum Status { OK, OK_WITH_REJECTS, DIFFERS, REFUSED, FAILED }

    /** Counts for one v2 table. */
    public static final class TableCounts {
        private long read;
        private long loaded;
        private long updated;
        private long unchanged;
        private long rejected;
        private long warnings;
        private long deletedInV2;
        private long deletesApplied;
        private long enriched;
        private long millis;

        public boolean reconciles() {
            return read == loaded + updated + unchanged + rejected;
        }

        public long rowsPerSecond() {
            return millis <= 0 ? 0 : Math.round((loaded + updated + unchanged + rejected) * 1000.0 / millis);
        }

        public void addRead(long n) { read += n; }
        public void addLoaded(long n) { loaded += n; }
        public void addUpdated(long n) { updated += n; }
        public void addUnchanged(long n) { unchanged += n; }
        public void addRejected(long n) { rejected += n; }
        public void addWarnings(long n) { warnings += n; }
        public void addDeletedInV2(long n) { deletedInV2 += n; }
        public void addDeletesApplied(long n) { deletesApplied += n; }
        public void addEnriched(long n) { enriched += n; }
        public void addMillis(long n) { millis += n; }
        public long getRead() { return read; }
        public long getLoaded() { return loaded; }
        public long getUpdated() { return updated; }
        public long getUnchanged() { return unchanged; }
        public long getRejected() { return rejected; }
        public long getWarnings() { return warnings; }
        public long getDeletedInV2() { return deletedInV2; }
        public long getDeletesApplied() { return deletesApplied; }
        public long getEnriched() { return enriched; }
        public long getMillis() { return millis; }
        public long getRowsPerSecond() { return rowsPerSecond(); }
    }

    /** A rejected v2 row or a warning: table, v2 id, column, value and reason. */
    public record Problem(String table, long v2Id, String column, String value, String reason) {
        @Override
        public String toString() {
            return table + " id " + v2Id + (column == null ? "" : ", column " + column) + (value == null ? "" : " = '" + value + "'") + ": " + reason;
        }
    }

    public static final int PROBLEMS_KEPT = 200;

    private final String command;
    private final String source;
    private final String target;
    private final boolean dryRun;
    private Long runId;
    private Status status = Status.OK;
    private String message;
    private final Instant startedAt = Instant.now();
    private Instant endedAt;
    private final Map<String, TableCounts> tables = new LinkedHashMap<>();
    private final Map<String, Long> v3Rows = new LinkedHashMap<>();
    private final List<Problem> rejects = new ArrayList<>();
    private final List<Problem> warnings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> kept = new ArrayList<>();
    private long pagesSkipped;
    private long pagesRead;
    private ValidationResult validation;
    private Boolean safeToSwitch;

    public V2Result(String command, String source, String target, boolean dryRun) {
        this.command = command;
        this.source = source;
        this.target = target;
        this.dryRun = dryRun;
    }

    public synchronized TableCounts table(String name) {
        return tables.computeIfAbsent(name, k -> new TableCounts());
    }

    public synchronized void reject(Problem p) {
        if (rejects.size() < PROBLEMS_KEPT) {
            rejects.add(p);
        }
    }

    public synchronized void warning(Problem p) {
        if (warnings.size() < PROBLEMS_KEPT) {
            warnings.add(p);
        }
    }

    /** An empty result of the same command, to count one page in until it commits. */
    public V2Result scratch() {
        return new V2Result(command, source, target, dryRun);
    }

    /** Adds a page's own result (counted apart until its transaction committed) to this one. */
    public synchronized void merge(V2Result page) {
        page.tables.forEach((name, t) -> {
            TableCounts mine = table(name);
            mine.read += t.read;
            mine.loaded += t.loaded;
            mine.updated += t.updated;
            mine.unchanged += t.unchanged;
            mine.rejected += t.rejected;
            mine.warnings += t.warnings;
            mine.deletedInV2 += t.deletedInV2;
            mine.deletesApplied += t.deletesApplied;
            mine.enriched += t.enriched;
            mine.millis += t.millis;
        });
        page.v3Rows.forEach(this::wrote);
        page.rejects.forEach(this::reject);
        page.warnings.forEach(this::warning);
        notes.addAll(page.notes);
    }

    public void wrote(String v3Table, long n) {
        v3Rows.merge(v3Table, n, Long::sum);
    }

    public V2Result refuse(String why) {
        status = Status.REFUSED;
        message = why;
        return finish();
    }

    public V2Result fail(String why) {
        status = Status.FAILED;
        message = why;
        return finish();
    }

    public V2Result finish() {
        if (status == Status.OK && tables.values().stream().anyMatch(t -> t.rejected > 0)) {
            status = Status.OK_WITH_REJECTS;
        }
        if (endedAt == null) {
            endedAt = Instant.now();
        }
        return this;
    }

    public boolean ok() {
        return status == Status.OK || status == Status.OK_WITH_REJECTS;
    }

    public boolean reconciles() {
        return tables.values().stream().allMatch(TableCounts::reconciles);
    }

    /** The first line the CLI prints: the verdict and the message. */
    public String summaryHeadline() {
        return (dryRun ? "[dry-run] " : "") + "v2 " + command + (runId == null ? "" : " run " + runId) + ": " + status
                + (message == null ? "" : " - " + message);
    }

    public String summaryLine() {
        StringBuilder sb = new StringBuilder(dryRun ? "[dry-run] " : "").append("v2 ").append(command);
        if (runId != null) {
            sb.append(" run ").append(runId);
        }
        sb.append(": ").append(status);
        for (Map.Entry<String, TableCounts> e : tables.entrySet()) {
            TableCounts t = e.getValue();
            sb.append("; ").append(e.getKey()).append(" read=").append(t.read).append(" loaded=").append(t.loaded)
                    .append(" updated=").append(t.updated).append(" unchanged=").append(t.unchanged).append(" rejected=").append(t.rejected);
        }
        if (message != null) {
            sb.append(" (").append(message).append(')');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return summaryLine();
    }

    public long getDurationMillis() {
        return Duration.between(startedAt, endedAt == null ? Instant.now() : endedAt).toMillis();
    }

    public String getCommand() { return command; }
    public String getSource() { return source; }
    public String getTarget() { return target; }
    public boolean isDryRun() { return dryRun; }
    public Long getRunId() { return runId; }
    public void setRunId(Long runId) { this.runId = runId; }
    public Status getStatus() { return status; }
    public void setStatus(Status status) { this.status = status; }
    public String getMessage() { return message; }
    public void setMessage(String message) { this.message = message; }
    public Instant getStartedAt() { return startedAt; }
    public Instant getEndedAt() { return endedAt; }
    public Map<String, TableCounts> getTables() { return tables; }
    public Map<String, Long> getV3Rows() { return v3Rows; }
    public List<Problem> getRejects() { return rejects; }
    public List<Problem> getWarnings() { return warnings; }
    public List<String> getNotes() { return notes; }
    public List<String> getKept() { return kept; }
    public synchronized void pageSkipped() { pagesSkipped++; }
    public synchronized void pageRead() { pagesRead++; }
    public long getPagesSkipped() { return pagesSkipped; }
    public long getPagesRead() { return pagesRead; }
    public ValidationResult getValidation() { return validation; }
    public void setValidation(ValidationResult validation) { this.validation = validation; }
    public Boolean getSafeToSwitch() { return safeToSwitch; }
    public void setSafeToSwitch(Boolean safeToSwitch) { this.safeToSwitch = safeToSwitch; }
}
