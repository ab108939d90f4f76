package dev.ferry.core.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** A validation result as the console shows it: VALID or INVALID first, then the numbers, then what is wrong. */
public final class ValidationConsole {

    private static final int MISMATCHES_SHOWN = 20;

    private ValidationConsole() {
    }

    public static String render(ValidationResult r) {
        StringBuilder out = new StringBuilder();
        out.append(r.getStatus()).append("  ").append(r.getSubject()).append("  (").append(r.getDurationMillis()).append(" ms)\n");
        r.getNotes().forEach(n -> out.append("  ").append(n).append('\n'));
        Set<String> columns = new LinkedHashSet<>();
        r.getSources().forEach(s -> columns.addAll(s.getCounts().keySet()));
        if (!r.getSources().isEmpty()) {
            List<String[]> table = new ArrayList<>();
            List<String> header = new ArrayList<>(List.of("source", "kind"));
            header.addAll(columns);
            table.add(header.toArray(String[]::new));
            for (ValidationResult.Source s : r.getSources()) {
                List<String> row = new ArrayList<>(List.of(s.getName(), s.getKind()));
                columns.forEach(c -> row.add(String.valueOf(s.getCounts().getOrDefault(c, 0L))));
                table.add(row.toArray(String[]::new));
            }
            out.append('\n').append(TextTable.render(table));
        }
        if (!r.getChecks().isEmpty()) {
            out.append("\nChecks\n");
            r.getChecks().forEach(c -> out.append("  ").append(c.passed() ? "ok    " : "FAILED").append("  ").append(c.name())
                    .append(": ").append(c.detail()).append('\n'));
        }
        if (r.getMismatchCount() > 0) {
            out.append("\nMismatches (").append(r.getMismatchCount()).append(")\n");
            r.getMismatches().stream().limit(MISMATCHES_SHOWN).forEach(m -> out.append("  ").append(m.source()).append(' ').append(m.record())
                    .append(" -> ").append(m.row()).append(": ").append(m.field()).append(" source ").append(m.sourceValue())
                    .append(", database ").append(m.databaseValue()).append('\n'));
            if (r.getMismatchCount() > MISMATCHES_SHOWN) {
                out.append("  ... ").append(r.getMismatchCount() - MISMATCHES_SHOWN).append(" more in the report\n");
            }
        }
        r.getErrors().forEach(e -> out.append("ERROR    ").append(e).append('\n'));
        r.getWarnings().forEach(w -> out.append("WARNING  ").append(w).append('\n'));
        return out.toString();
    }
}
