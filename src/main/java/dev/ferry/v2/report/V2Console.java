package dev.ferry.v2.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.ferry.core.report.TextTable;
import dev.ferry.core.report.ValidationConsole;

/** A v2 command's result as the CLI prints it: the verdict, the counts per v2 table, rejects, notes and the validation. */
public final class V2Console {

    static final int SHOWN = 20;

    private V2Console() {
    }

    public static String render(V2Result r) {
        StringBuilder out = new StringBuilder();
        out.append(r.summaryHeadline()).append('\n');
        if (!r.getTables().isEmpty()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"v2 table", "read", "loaded", "updated", "unchanged", "rejected", "warnings", "deleted in v2", "rows/s"});
            for (Map.Entry<String, V2Result.TableCounts> e : r.getTables().entrySet()) {
                V2Result.TableCounts t = e.getValue();
                rows.add(new String[] {e.getKey(), n(t.getRead()), n(t.getLoaded()), n(t.getUpdated()), n(t.getUnchanged()), n(t.getRejected()),
                        n(t.getWarnings()), n(t.getDeletedInV2()) + (t.getDeletesApplied() > 0 ? " (" + t.getDeletesApplied() + " removed)" : ""),
                        n(t.getRowsPerSecond())});
            }
            out.append(TextTable.render(rows));
            out.append("  ").append(r.reconciles() ? "every table adds up: read = loaded + updated + unchanged + rejected"
                    : "COUNTS DO NOT ADD UP: read != loaded + updated + unchanged + rejected").append('\n');
            out.append("  pages read ").append(r.getPagesRead()).append(", pages unchanged since the last pass (skipped) ").append(r.getPagesSkipped()).append('\n');
        }
        if (!r.getV3Rows().isEmpty()) {
            out.append("  v3 rows ").append(r.getCommand().equals("rollback") ? "deleted or restored: " : r.getCommand().equals("status") ? "Ferry wrote: " : "written: ")
                    .append(r.getV3Rows()).append('\n');
        }
        section(out, "rejected v2 rows (table, id, column, value, reason; all are in ferry_v2.rejects)", r.getRejects().stream().map(Object::toString).toList());
        section(out, "warnings", r.getWarnings().stream().map(Object::toString).toList());
        section(out, "rows changed since Ferry wrote them", r.getKept());
        section(out, "notes", r.getNotes());
        if (r.getValidation() != null) {
            out.append(ValidationConsole.render(r.getValidation()));
        }
        if (r.getSafeToSwitch() != null) {
            out.append(r.getSafeToSwitch() ? "v3 matches v2: safe to switch\n" : "v3 does not match v2 yet: not cut over\n");
        }
        return out.toString();
    }

    private static void section(StringBuilder out, String title, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        out.append("  ").append(title).append(":\n");
        lines.stream().limit(SHOWN).forEach(l -> out.append("    ").append(l).append('\n'));
        if (lines.size() > SHOWN) {
            out.append("    ... ").append(lines.size() - SHOWN).append(" more in the JSON report\n");
        }
    }

    private static String n(long v) {
        return String.valueOf(v);
    }
}
