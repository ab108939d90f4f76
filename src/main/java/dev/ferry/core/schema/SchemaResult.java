package dev.ferry.core.schema;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one result of a schema command (status, migrate, undo, verify, history, diff, test, new):
 * the CLI prints it, the JSON and HTML reports serialise it, JMX shows its summary. Errors and
 * warnings are data, so a refused command still renders as a report.
 */
public final class SchemaResult {

    public enum Status {
        /** Done, and nothing is wrong. */
        OK,
        /** Done or checked, and something is wrong: a verify query failed, the catalog differs, a round trip left traces. */
        FAILED,
        /** Not done: drift, an irreversible version, a version out of order, a bad request; nothing changed. */
        REFUSED
    }

    /** What happened to one version in this command. */
    public record VersionLine(String version, String description, String state, String outcome, Long durationMs, String detail) {
    }

    public record HistoryEntry(long id, String version, String description, String operation, String checksum, Instant startedAt,
                               long durationMs, String outcome, String appliedBy, String detail, String errorFile, Integer errorLine,
                               String errorStatement) {
    }

    private final String command;
    private final String project;
    private final String target;
    private final boolean dryRun;
    private final Instant startedAt = Instant.now();
    private Instant endedAt;
    private Status status = Status.OK;
    private String fromVersion;
    private String currentVersion;
    private final List<VersionLine> versions = new ArrayList<>();
    private final List<String> pending = new ArrayList<>();
    private final List<String> drift = new ArrayList<>();
    private final List<String> differences = new ArrayList<>();
    private final List<String> sql = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<HistoryEntry> history = new ArrayList<>();

    public SchemaResult(String command, String project, String target, boolean dryRun) {
        this.command = command;
        this.project = project;
        this.target = target;
        this.dryRun = dryRun;
    }

    public SchemaResult fail(String error) {
        errors.add(error);
        if (status == Status.OK) {
            status = Status.FAILED;
        }
        return this;
    }

    public SchemaResult refuse(String why) {
        errors.add(why);
        status = Status.REFUSED;
        return this;
    }

    public SchemaResult finish() {
        endedAt = Instant.now();
        return this;
    }

    public boolean ok() {
        return status == Status.OK;
    }

    /** One line for logs, JMX and the console's last line. */
    public String summaryLine() {
        StringBuilder b = new StringBuilder("schema ").append(command).append(' ').append(project).append(": ").append(status);
        if (dryRun) {
            b.append(" (dry run, nothing changed)");
        }
        b.append(", version ").append(currentVersion == null ? "none" : currentVersion);
        if (!pending.isEmpty()) {
            b.append(", ").append(pending.size()).append(" pending");
        }
        if (!drift.isEmpty()) {
            b.append(", DRIFT: ").append(drift.size()).append(drift.size() == 1 ? " script changed" : " scripts changed");
        }
        if (!differences.isEmpty()) {
            b.append(", ").append(differences.size()).append(differences.size() == 1 ? " difference" : " differences");
        }
        if (!errors.isEmpty()) {
            b.append(": ").append(errors.get(0));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return summaryLine();
    }

    public long getDurationMillis() {
        return Duration.between(startedAt, endedAt == null ? Instant.now() : endedAt).toMillis();
    }

    public String getCommand() {
        return command;
    }

    public String getProject() {
        return project;
    }

    public String getTarget() {
        return target;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getEndedAt() {
        return endedAt;
    }

    public Status getStatus() {
        return status;
    }

    public void setStatus(Status status) {
        this.status = status;
    }

    public String getFromVersion() {
        return fromVersion;
    }

    public void setFromVersion(String fromVersion) {
        this.fromVersion = fromVersion;
    }

    public String getCurrentVersion() {
        return currentVersion;
    }

    public void setCurrentVersion(String currentVersion) {
        this.currentVersion = currentVersion;
    }

    public List<VersionLine> getVersions() {
        return versions;
    }

    public List<String> getPending() {
        return pending;
    }

    public List<String> getDrift() {
        return drift;
    }

    public List<String> getDifferences() {
        return differences;
    }

    public List<String> getSql() {
        return sql;
    }

    public List<String> getErrors() {
        return errors;
    }

    public List<String> getWarnings() {
        return warnings;
    }

    public List<String> getNotes() {
        return notes;
    }

    public List<HistoryEntry> getHistory() {
        return history;
    }
}
