package dev.ferry.portfolio.report;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One portfolio command's outcome (check, phase1, phase2, rollback), as the CLI, the JSON and
 * HTML reports, the inbox and JMX all render it: the schema version before and after, features,
 * health, what to do next, the backup, the merge, the engine's steps and the validation.
 */
public final class PortfolioResult {

    public enum Status {
        OK, PROBLEMS, REFUSED, FAILED
    }

    /** A yes/no fact about the database, with what it rests on. */
    public record Check(String name, boolean ok, String detail) {
    }

    /** A symbol held in several portfolios, merged into one row on rollback. */
    public record MergeGroup(String symbol, long keptId, String keptPortfolio, List<String> merged, long quantity, String avgCost) {
    }

    private final String command;
    private final String target;
    private final boolean dryRun;
    private final Instant startedAt = Instant.now();
    private Instant endedAt;
    private Status status = Status.OK;
    private Long runId;
    private String fromVersion;
    private String version;
    private String versionSource;
    private String backupSchema;
    private final Map<String, Long> backupRows = new LinkedHashMap<>();
    private String keptPortfolio;
    private long positionsMoved;
    private int lockRetries;
    private final List<MergeGroup> merge = new ArrayList<>();
    private final List<Check> features = new ArrayList<>();
    private final List<Check> health = new ArrayList<>();
    private final List<Check> validation = new ArrayList<>();
    private final List<String> blockers = new ArrayList<>();
    private final List<String> next = new ArrayList<>();
    private final List<String> steps = new ArrayList<>();
    private final List<String> sql = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public PortfolioResult(String command, String target, boolean dryRun) {
        this.command = command;
        this.target = target;
        this.dryRun = dryRun;
    }

    public PortfolioResult refuse(String why) {
        errors.add(why);
        if (status != Status.FAILED) {
            status = Status.REFUSED;
        }
        return this;
    }

    public PortfolioResult fail(String why) {
        errors.add(why);
        status = Status.FAILED;
        return this;
    }

    /** Ends the result: a clean run whose health or validation found a problem is PROBLEMS. */
    public PortfolioResult finish() {
        if (status == Status.OK && (health.stream().anyMatch(c -> !c.ok()) || validation.stream().anyMatch(c -> !c.ok()))) {
            status = Status.PROBLEMS;
        }
        endedAt = Instant.now();
        return this;
    }

    public boolean ok() {
        return status == Status.OK;
    }

    public boolean stopped() {
        return status == Status.REFUSED || status == Status.FAILED;
    }

    public long getDurationMillis() {
        return Duration.between(startedAt, endedAt == null ? Instant.now() : endedAt).toMillis();
    }

    public String summaryLine() {
        StringBuilder sb = new StringBuilder((dryRun ? "[dry-run] " : "") + "portfolio " + command + " of " + target + ": " + status);
        if (fromVersion != null && !fromVersion.equals(version)) {
            sb.append(", ").append(fromVersion).append(" -> ").append(version);
        } else if (version != null) {
            sb.append(", version ").append(version);
        }
        if (!errors.isEmpty()) {
            sb.append(" (").append(errors.get(0)).append(')');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return summaryLine();
    }

    public String getCommand() { return command; }
    public String getTarget() { return target; }
    public boolean isDryRun() { return dryRun; }
    public Instant getStartedAt() { return startedAt; }
    public Instant getEndedAt() { return endedAt; }
    public Status getStatus() { return status; }
    public Long getRunId() { return runId; }
    public void setRunId(Long runId) { this.runId = runId; }
    public String getFromVersion() { return fromVersion; }
    public void setFromVersion(String fromVersion) { this.fromVersion = fromVersion; }
    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getVersionSource() { return versionSource; }
    public void setVersionSource(String versionSource) { this.versionSource = versionSource; }
    public String getBackupSchema() { return backupSchema; }
    public void setBackupSchema(String backupSchema) { this.backupSchema = backupSchema; }
    public Map<String, Long> getBackupRows() { return backupRows; }
    public String getKeptPortfolio() { return keptPortfolio; }
    public void setKeptPortfolio(String keptPortfolio) { this.keptPortfolio = keptPortfolio; }
    public long getPositionsMoved() { return positionsMoved; }
    public void setPositionsMoved(long positionsMoved) { this.positionsMoved = positionsMoved; }
    public int getLockRetries() { return lockRetries; }
    /** Statement attempts that timed out waiting for a lock (lock_timeout) and were tried again. */
    public void addLockRetries(int n) { this.lockRetries += n; }
    public List<MergeGroup> getMerge() { return merge; }
    public List<Check> getFeatures() { return features; }
    public List<Check> getHealth() { return health; }
    public List<Check> getValidation() { return validation; }
    public List<String> getBlockers() { return blockers; }
    public List<String> getNext() { return next; }
    public List<String> getSteps() { return steps; }
    public List<String> getSql() { return sql; }
    public List<String> getErrors() { return errors; }
    public List<String> getWarnings() { return warnings; }
    public List<String> getNotes() { return notes; }
}
