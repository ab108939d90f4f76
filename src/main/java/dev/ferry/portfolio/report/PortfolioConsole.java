package dev.ferry.portfolio.report;

import java.util.List;

import dev.ferry.portfolio.report.PortfolioResult.Check;
import dev.ferry.portfolio.report.PortfolioResult.MergeGroup;

/** The result as the CLI prints it and JMX answers it. */
public final class PortfolioConsole {

    private PortfolioConsole() {
    }

    public static String render(PortfolioResult r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.isDryRun() ? "[dry-run] " : "").append("portfolio ").append(r.getCommand()).append(" of ").append(r.getTarget())
                .append(r.getRunId() == null ? "" : ", run " + r.getRunId()).append('\n');
        sb.append("  version: ").append(r.getVersion() == null ? "unknown" : r.getVersion())
                .append(r.getFromVersion() != null && !r.getFromVersion().equals(r.getVersion()) ? " (was " + r.getFromVersion() + ")" : "")
                .append(" — ").append(r.getVersionSource()).append('\n');
        checks(sb, "features", r.getFeatures(), "yes", "no");
        checks(sb, "health", r.getHealth(), "ok", "PROBLEM");
        if (r.getBackupSchema() != null) {
            sb.append("  backup: ").append(r.getBackupSchema()).append(' ').append(r.getBackupRows()).append('\n');
        }
        if (r.getKeptPortfolio() != null) {
            sb.append("  merge into ").append(r.getKeptPortfolio()).append(": ").append(r.getMerge().size()).append(" symbol(s) merged, ")
                    .append(r.getPositionsMoved()).append(" position(s) moved\n");
            for (MergeGroup g : r.getMerge()) {
                sb.append("    ").append(g.symbol()).append(": keeps row ").append(g.keptId()).append(" (").append(g.keptPortfolio()).append("), quantity ")
                        .append(g.quantity()).append(" @ avg_cost ").append(g.avgCost()).append("; merged ").append(g.merged()).append('\n');
            }
        }
        lines(sb, "step", r.getSteps());
        if (r.getLockRetries() > 0) {
            sb.append("  lock waits: ").append(r.getLockRetries()).append(" attempt(s) timed out under lock_timeout and were retried\n");
        }
        checks(sb, "validation", r.getValidation(), "passed", "FAILED");
        lines(sb, "sql", r.getSql());
        lines(sb, "blocker", r.getBlockers());
        lines(sb, "error", r.getErrors());
        lines(sb, "warning", r.getWarnings());
        lines(sb, "note", r.getNotes());
        lines(sb, "next", r.getNext());
        sb.append(r.summaryLine()).append(" in ").append(r.getDurationMillis()).append(" ms\n");
        return sb.toString();
    }

    private static void checks(StringBuilder sb, String title, List<Check> checks, String yes, String no) {
        if (checks.isEmpty()) {
            return;
        }
        sb.append("  ").append(title).append(":\n");
        for (Check c : checks) {
            sb.append("    ").append(String.format("%-7s", c.ok() ? yes : no)).append(' ').append(c.name()).append(": ").append(c.detail()).append('\n');
        }
    }

    private static void lines(StringBuilder sb, String label, List<String> lines) {
        lines.forEach(l -> sb.append("  ").append(label).append(": ").append(l).append('\n'));
    }
}
