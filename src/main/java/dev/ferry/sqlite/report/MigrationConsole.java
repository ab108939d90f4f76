package dev.ferry.sqlite.report;

import dev.ferry.sqlite.validate.ValidationResult;
import dev.ferry.sqlite.write.RejectRow;

/** A migration's result as the console shows it: the closing summary table, the validation, rejects and warnings. */
public final class MigrationConsole {

    private MigrationConsole() {
    }

    public static String render(MigrationResult m) {
        StringBuilder sb = new StringBuilder();
        var run = m.getRun();
        sb.append(String.format("SQLite %s of %s: run %s, %s%s%n", m.getMode(), run.getSourceFile(), run.getRunId(),
                run.getStatus().dbValue(), run.getMessage() == null ? "" : " (" + run.getMessage() + ")"));
        String fmt = "%-28s %-9s %10s %10s %10s %9s %9s %8s %12s  %s%n";
        sb.append(String.format(fmt, "table", "target", "read", "loaded", "updated", "skipped", "rejected", "seconds", "rows/s", "status"));
        long read = 0;
        long loaded = 0;
        long updated = 0;
        long skipped = 0;
        long rejected = 0;
        for (TableResult t : m.getTables()) {
            sb.append(String.format(fmt, abbreviate(t.table, 28), t.view ? "-" : t.created ? "created" : "existing", t.read, t.loaded, t.updated,
                    t.skipped, t.rejected, String.format("%.2f", t.seconds), String.format("%,.0f", t.rowsPerSecond()), t.status));
            read += t.read;
            loaded += t.loaded;
            updated += t.updated;
            skipped += t.skipped;
            rejected += t.rejected;
        }
        sb.append(String.format(fmt, "total", "", read, loaded, updated, skipped, rejected, "", "", ""));
        if (m.getSnapshot() != null) {
            sb.append("Read from one snapshot: ").append(m.getSnapshot()).append('\n');
        }
        for (TableResult t : m.getTables()) {
            if (t.reader != null && !"pages".equals(t.reader)) {
                sb.append(t.table).append(": read through ").append(t.reader).append('\n');
            }
        }
        if (m.getEstimatedSeconds() != null) {
            sb.append(String.format("Estimated time of the real migration: %.0f s%n", m.getEstimatedSeconds()));
        }
        for (TableResult t : m.getTables()) {
            if (t.message != null) {
                sb.append(t.table).append(": ").append(t.message).append('\n');
            }
            if (t.ddl != null && "dry-run".equals(t.status)) {
                sb.append("would create ").append(t.target).append(":\n");
                t.columns.forEach(c -> sb.append("    ").append(c).append('\n'));
            }
            for (RejectRow r : t.firstRejects) {
                sb.append("  rejected ").append(t.table).append(' ').append(r.sourceKey())
                        .append(r.column() == null ? "" : " column " + r.column())
                        .append(r.value() == null ? "" : " value " + abbreviate(r.value(), 60)).append(": ").append(r.reason()).append('\n');
            }
            if (t.rejected > t.firstRejects.size()) {
                sb.append("  ... ").append(t.rejected - t.firstRejects.size()).append(" more rejected row(s) of ").append(t.table)
                        .append(" in ferry.sqlite_rejects\n");
            }
        }
        ValidationResult v = m.getValidation();
        if (v != null) {
            sb.append(String.format("Validation (%.1f s): %s%n", v.getSeconds(), v.isOk() ? "source and target agree" : "MISMATCH"));
            String vf = "%-28s %10s %10s %22s %22s %8s  %s%n";
            sb.append(String.format(vf, "table", "source", "target", "source checksum", "target checksum", "orphans", "ok"));
            for (ValidationResult.TableCheck c : v.getTables()) {
                sb.append(String.format(vf, abbreviate(c.table, 28), c.sourceRows, c.targetRows, abbreviate(c.sourceChecksum, 22),
                        abbreviate(c.targetChecksum, 22), c.orphanRows, c.ok() ? "yes" : "NO" + (c.error == null ? "" : " (" + c.error + ")")));
                c.foreignKeyProblems.forEach(p -> sb.append("  ").append(c.table).append(": ").append(p).append('\n'));
                c.onlyInSource.forEach(p -> sb.append("  only in source ").append(c.table).append(": ").append(p).append('\n'));
                c.onlyInTarget.forEach(p -> sb.append("  only in target ").append(c.table).append(": ").append(p).append('\n'));
            }
        }
        m.getWarnings().forEach(w -> sb.append("warning: ").append(w).append('\n'));
        return sb.toString();
    }

    private static String abbreviate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
