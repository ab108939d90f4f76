package dev.ferry.core.report;

import java.util.List;

/** Runs as a console table, with a reconciliation check per run and the first rejects. */
public final class ConsoleReport {

    private ConsoleReport() {
    }

    public static String render(List<RunResult> results) {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-6s %-15s %-34s %-7s %-23s %9s %9s %9s %9s %9s %9s%n";
        sb.append(String.format(fmt, "run", "flow", "file", "user", "status", "read", "loaded", "dups", "rejected", "orders", "fills"));
        for (RunResult r : results) {
            sb.append(String.format(fmt, r.getRunId(), r.getFlow(), abbreviate(r.getSourceFile(), 34), r.getUserId(),
                    (r.isDryRun() ? "dry-run " : "") + r.getStatus().dbValue(), r.getRecordsRead(), r.getLoaded(),
                    r.getDuplicates(), r.getRejected(), r.getOrders(), r.getFills()));
        }
        for (RunResult r : results) {
            if (r.getMessage() != null) {
                sb.append("run ").append(r.getRunId()).append(": ").append(r.getMessage()).append('\n');
            }
            for (RejectedRecord rej : r.getRejects()) {
                sb.append("  rejected ").append(rej.sourceFile()).append(' ').append(rej.recordPath())
                        .append(rej.line() == null ? "" : " (line " + rej.line() + ")")
                        .append(rej.field() == null ? "" : " field " + rej.field())
                        .append(": ").append(rej.reason()).append('\n');
            }
            if (r.getRejected() > r.getRejects().size()) {
                sb.append("  ... and ").append(r.getRejected() - r.getRejects().size()).append(" more in ferry.rejects (run_id = ")
                        .append(r.getRunId()).append(")\n");
            }
        }
        return sb.toString();
    }

    private static String abbreviate(String s, int max) {
        return s == null || s.length() <= max ? s : "…" + s.substring(s.length() - max + 1);
    }
}
