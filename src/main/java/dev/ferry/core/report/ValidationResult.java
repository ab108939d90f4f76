package dev.ferry.core.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The one result of a validation, whatever was validated (a bot's files, a SQLite store):
 * the console summary, the JSON and HTML reports and JMX all render this object. It is
 * INVALID when any source record or database row disagrees or a check fails; warnings
 * never make it invalid.
 */
@JsonPropertyOrder({"status", "subject", "checkedAt", "durationMillis", "notes", "sources", "checks", "mismatches", "mismatchCount",
        "errors", "warnings"})
public final class ValidationResult {

    /** Most mismatches kept in the result; all are counted. */
    public static final int MISMATCHES_KEPT = 1000;

    /** One source (a file, a table) and how its records fared, in named counts. */
    @JsonPropertyOrder({"name", "kind", "counts", "problems"})
    public static final class Source {
        private final String name;
        private final String kind;
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private long problems;

        public Source(String name, String kind) {
            this.name = name;
            this.kind = kind;
        }

        public Source add(String count, long n) {
            counts.merge(count, n, Long::sum);
            return this;
        }

        public void problem() {
            problems++;
        }

        public String getName() {
            return name;
        }

        public String getKind() {
            return kind;
        }

        public Map<String, Long> getCounts() {
            return counts;
        }

        public long getProblems() {
            return problems;
        }
    }

    /** A named rule over the whole data (each trade has an order, counts agree, ...). */
    public record Check(String name, boolean passed, String detail) {
    }

    /**
     * A value that differs: where it came from in the source, which row holds it, and both
     * values side by side. A record missing from the database, or a row with no source
     * record, is a mismatch with one side empty.
     */
    public record Mismatch(String source, String record, String row, String field, String sourceValue, String databaseValue) {
    }

    private final String subject;
    private final Instant checkedAt = Instant.now();
    private long durationMillis;
    private final List<String> notes = new ArrayList<>();
    private final List<Source> sources = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<Mismatch> mismatches = new ArrayList<>();
    private long mismatchCount;
    private final List<String> errors = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    public ValidationResult(String subject) {
        this.subject = subject;
    }

    public Source source(String name, String kind) {
        Source s = new Source(name, kind);
        sources.add(s);
        return s;
    }

    public void check(String name, boolean passed, String detail) {
        checks.add(new Check(name, passed, detail));
    }

    public void mismatch(Source source, Mismatch m) {
        if (source != null) {
            source.problem();
        }
        mismatchCount++;
        if (mismatches.size() < MISMATCHES_KEPT) {
            mismatches.add(m);
        }
    }

    public void error(String message) {
        errors.add(message);
    }

    public void warning(String message) {
        warnings.add(message);
    }

    public void note(String message) {
        notes.add(message);
    }

    public ValidationResult finish(long startedNanos) {
        durationMillis = (System.nanoTime() - startedNanos) / 1_000_000;
        return this;
    }

    public boolean isValid() {
        return mismatchCount == 0 && errors.isEmpty() && checks.stream().allMatch(Check::passed);
    }

    public String getStatus() {
        return isValid() ? "VALID" : "INVALID";
    }

    public String getSubject() {
        return subject;
    }

    public Instant getCheckedAt() {
        return checkedAt;
    }

    public long getDurationMillis() {
        return durationMillis;
    }

    public List<String> getNotes() {
        return notes;
    }

    public List<Source> getSources() {
        return sources;
    }

    public List<Check> getChecks() {
        return checks;
    }

    public List<Mismatch> getMismatches() {
        return mismatches;
    }

    public long getMismatchCount() {
        return mismatchCount;
    }

    public List<String> getErrors() {
        return errors;
    }

    public List<String> getWarnings() {
        return warnings;
    }

    /** Sum of one named count over all sources. */
    public long total(String count) {
        return sources.stream().mapToLong(s -> s.getCounts().getOrDefault(count, 0L)).sum();
    }

    /** One line for logs and JMX: status, subject, and what is wrong. */
    @Override
    public String toString() {
        long failed = checks.stream().filter(c -> !c.passed()).count();
        return getStatus() + ": " + subject + " - " + sources.size() + " sources, " + mismatchCount + " mismatches, "
                + failed + " failed checks, " + errors.size() + " errors, " + warnings.size() + " warnings";
    }
}
