package dev.ferry.portfolio.report;

import java.util.List;

import dev.ferry.core.report.Html;
import dev.ferry.portfolio.report.PortfolioResult.Check;
import dev.ferry.portfolio.report.PortfolioResult.MergeGroup;

/** The result as an HTML page for the reports folder and the inbox. */
public final class PortfolioHtml {

    private PortfolioHtml() {
    }

    public static String render(PortfolioResult r) {
        StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
                .append(Html.esc(r.summaryLine())).append("</title></head><body>\n<h1>").append(Html.esc(r.summaryLine())).append("</h1>\n");
        h.append("<p>Version <b>").append(Html.esc(r.getVersion() == null ? "unknown" : r.getVersion())).append("</b>")
                .append(r.getFromVersion() != null && !r.getFromVersion().equals(r.getVersion()) ? " (was " + Html.esc(r.getFromVersion()) + ")" : "")
                .append(": ").append(Html.esc(r.getVersionSource())).append(r.getRunId() == null ? "" : "; Ferry run " + r.getRunId())
                .append("; ").append(r.getDurationMillis()).append(" ms</p>\n");
        table(h, "Features", r.getFeatures());
        table(h, "Health", r.getHealth());
        if (r.getBackupSchema() != null) {
            h.append("<p>Backup <code>").append(Html.esc(r.getBackupSchema())).append("</code>: ").append(Html.esc(r.getBackupRows().toString())).append("</p>\n");
        }
        if (!r.getMerge().isEmpty()) {
            h.append("<h2>Merge into ").append(Html.esc(r.getKeptPortfolio())).append("</h2>\n<table border=\"1\"><tr><th>symbol</th><th>kept row</th>"
                    + "<th>quantity</th><th>avg_cost</th><th>merged rows</th></tr>");
            for (MergeGroup g : r.getMerge()) {
                h.append("<tr><td>").append(Html.esc(g.symbol())).append("</td><td>").append(g.keptId()).append(" (").append(Html.esc(g.keptPortfolio()))
                        .append(")</td><td>").append(g.quantity()).append("</td><td>").append(Html.esc(g.avgCost())).append("</td><td>")
                        .append(Html.esc(String.join("; ", g.merged()))).append("</td></tr>");
            }
            h.append("</table>\n");
        }
        Html.list(h, "Steps", r.getSteps());
        table(h, "Validation", r.getValidation());
        Html.list(h, "Blockers", r.getBlockers());
        Html.list(h, "Errors", r.getErrors());
        Html.list(h, "Warnings", r.getWarnings());
        Html.list(h, "Notes", r.getNotes());
        Html.list(h, "Next", r.getNext());
        Html.list(h, "SQL", r.getSql());
        return h.append("</body></html>\n").toString();
    }

    private static void table(StringBuilder h, String title, List<Check> checks) {
        if (checks.isEmpty()) {
            return;
        }
        h.append("<h2>").append(Html.esc(title)).append("</h2>\n<table border=\"1\">");
        for (Check c : checks) {
            h.append("<tr><td>").append(c.ok() ? "ok" : "<b>problem</b>").append("</td><td>").append(Html.esc(c.name())).append("</td><td>")
                    .append(Html.esc(c.detail())).append("</td></tr>");
        }
        h.append("</table>\n");
    }
}
