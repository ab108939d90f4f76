package dev.ferry.sqlite.report;

import dev.ferry.core.report.ValidationResult;

/**
 * A SQLite migration's validation as Ferry's common validation result, so that it renders
 * like the file flows' (console, JSON, HTML report, JMX): one source per table with its
 * row counts, a check each for counts, checksum and foreign keys, and the first differing
 * rows of each side as mismatches.
 */
public final class SqliteValidationReport {

    private SqliteValidationReport() {
    }

    public static ValidationResult of(MigrationResult m) {
        dev.ferry.sqlite.validate.ValidationResult v = m.getValidation();
        ValidationResult r = new ValidationResult("SQLite " + m.getRun().getSourceFile());
        r.note("run " + m.getRun().getRunId() + " (" + m.getMode() + "): " + m.getRun().getStatus().dbValue());
        for (var t : v.getTables()) {
            ValidationResult.Source s = r.source(t.table, "table " + t.target).add("source rows", t.sourceRows).add("target rows", t.targetRows);
            if (t.error != null) {
                r.error(t.table + ": " + t.error);
                continue;
            }
            r.check(t.table + ": row counts", t.sourceRows == t.targetRows, t.sourceRows + " in the source, " + t.targetRows + " in " + t.target);
            r.check(t.table + ": checksum", t.sourceChecksum != null && t.sourceChecksum.equals(t.targetChecksum),
                    "source " + t.sourceChecksum + ", target " + t.targetChecksum);
            r.check(t.table + ": foreign keys", t.orphanRows == 0, t.orphanRows == 0 ? "every reference resolves" : String.join("; ", t.foreignKeyProblems));
            t.onlyInSource.forEach(row -> r.mismatch(s, new ValidationResult.Mismatch(t.table, row, null, "row", row, null)));
            t.onlyInTarget.forEach(row -> r.mismatch(s, new ValidationResult.Mismatch(t.table, null, row, "row", null, row)));
        }
        m.getWarnings().forEach(r::warning);
        return r;
    }
}
