package dev.ferry.sqlite.report;

import java.util.ArrayList;
import java.util.List;

import dev.ferry.core.report.RunResult;
import dev.ferry.sqlite.validate.ValidationResult;

/**
 * The one result of a SQLite migration (or dry run, or validation only): the run as
 * ferry.runs records it, each table's outcome, the validation, and the warnings (views
 * not copied, cycles, indexes SQLite had that PostgreSQL does not get). The console, the
 * JSON report and JMX all render this object.
 */
public final class MigrationResult {
    private RunResult run;
    private String mode;
    private final List<TableResult> tables = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private ValidationResult validation;
    private Double estimatedSeconds;
    /** What was read: null for the store itself, else how its one snapshot was taken. */
    private String snapshot;

    public MigrationResult() {
    }

    public MigrationResult(RunResult run, String mode) {
        this.run = run;
        this.mode = mode;
    }

    public TableResult table(String name) {
        return tables.stream().filter(t -> t.table.equals(name)).findFirst().orElse(null);
    }

    public RunResult getRun() { return run; }
    public String getMode() { return mode; }
    public List<TableResult> getTables() { return tables; }
    public List<String> getWarnings() { return warnings; }
    public ValidationResult getValidation() { return validation; }
    public void setValidation(ValidationResult validation) { this.validation = validation; }
    public String getSnapshot() { return snapshot; }
    public void setSnapshot(String snapshot) { this.snapshot = snapshot; }
    public Double getEstimatedSeconds() { return estimatedSeconds; }
    public void setEstimatedSeconds(Double estimatedSeconds) { this.estimatedSeconds = estimatedSeconds; }
}
