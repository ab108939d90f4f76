package dev.ferry.schema.report;

import java.util.ArrayList;
import java.util.List;

import dev.ferry.core.report.TextTable;
import dev.ferry.core.schema.SchemaResult;

/** A schema command's result as the console shows it: the versions table, then SQL, differences, notes and errors, then one summary line. */
public final class SchemaConsole {

    private SchemaConsole() {
    }

    public static String render(SchemaResult r) {
        StringBuilder out = new StringBuilder();
        out.append("schema ").append(r.getCommand()).append(" of ").append(r.getProject()).append(" on ").append(r.getTarget()).append('\n');
        if (!r.getVersions().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"version", "description", "state", "outcome", "ms", "detail"});
            for (SchemaResult.VersionLine v : r.getVersions()) {
                rows.add(new String[] {v.version(), nz(v.description()), nz(v.state()), nz(v.outcome()),
                        v.durationMs() == null ? "" : Long.toString(v.durationMs()), nz(v.detail())});
            }
            out.append(TextTable.render(rows));
        }
        if (!r.getHistory().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"#", "version", "operation", "outcome", "when", "ms", "who", "checksum", "detail"});
            for (SchemaResult.HistoryEntry h : r.getHistory()) {
                rows.add(new String[] {Long.toString(h.id()), h.version(), h.operation(), h.outcome(), h.startedAt().toString(),
                        Long.toString(h.durationMs()), h.appliedBy(), h.checksum() == null ? "" : h.checksum().substring(0, Math.min(12, h.checksum().length())),
                        nz(h.detail()) + (h.errorFile() == null || !"failed".equals(h.outcome()) ? ""
                                : " at " + h.errorFile() + (h.errorLine() == null ? "" : " line " + h.errorLine()))});
            }
            out.append(TextTable.render(rows));
        }
        // unindented, so the dry run's SQL can go straight to psql
        section(out, "-- SQL that would run (nothing was changed):", r.getSql(), "");
        section(out, "pending:", r.getPending(), "  ");
        section(out, "DRIFT, applied scripts changed since:", r.getDrift(), "  ");
        section(out, "differences (expected vs live):", r.getDifferences(), "  ");
        section(out, "", r.getNotes(), "  note: ");
        section(out, "", r.getWarnings(), "  warning: ");
        section(out, "", r.getErrors(), "  error: ");
        out.append(r.summaryLine()).append('\n');
        return out.toString();
    }

    private static void section(StringBuilder out, String title, List<String> lines, String prefix) {
        if (lines.isEmpty()) {
            return;
        }
        if (!title.isEmpty()) {
            out.append(title).append('\n');
        }
        lines.forEach(l -> out.append(prefix).append(l).append('\n'));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
