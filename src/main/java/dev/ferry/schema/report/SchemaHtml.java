package dev.ferry.schema.report;

import java.util.List;

import dev.ferry.core.report.Html;
import dev.ferry.core.schema.SchemaResult;

/** A schema command's result as a self-contained page (inline style, no scripts): the verdict, versions, drift and differences. */
public final class SchemaHtml {

    private SchemaHtml() {
    }

    public static String render(SchemaResult r) {
        StringBuilder h = new StringBuilder(4096);
        String verdict = r.getStatus().name();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ferry schema ").append(Html.esc(r.getCommand()))
                .append(": ").append(verdict).append(" - ").append(Html.esc(r.getProject())).append("</title>\n<style>\n")
                .append("body{font:14px/1.45 system-ui,sans-serif;margin:24px 32px;color:#1d2430;background:#f6f7f9}\n")
                .append("h1{font-size:22px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 8px}\n")
                .append(".verdict{display:inline-block;padding:4px 14px;border-radius:4px;color:#fff;font-weight:700;margin-right:10px}\n")
                .append(".OK{background:#1f883d} .FAILED{background:#cf222e} .REFUSED{background:#9a6700}\n")
                .append(".meta{color:#57606a;margin:6px 0 16px} table{border-collapse:collapse;background:#fff;border:1px solid #d0d7de;width:100%}\n")
                .append("th,td{padding:6px 10px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top} th{background:#f0f2f5}\n")
                .append("pre{background:#fff;border:1px solid #d0d7de;padding:10px;overflow:auto} li{margin:2px 0}\n")
                .append("</style></head><body>\n");
        h.append("<h1><span class=\"verdict ").append(verdict).append("\">").append(verdict).append("</span>schema ")
                .append(Html.esc(r.getCommand())).append(" of ").append(Html.esc(r.getProject())).append("</h1>\n");
        h.append("<div class=\"meta\">").append(Html.esc(r.getTarget())).append(", version ")
                .append(Html.esc(r.getCurrentVersion() == null ? "none" : r.getCurrentVersion())).append(", ").append(Html.esc(String.valueOf(r.getStartedAt())))
                .append(", ").append(r.getDurationMillis()).append(" ms").append(r.isDryRun() ? ", dry run: nothing changed" : "").append("</div>\n");
        Html.list(h, "Errors", r.getErrors());
        Html.list(h, "Drift: applied scripts changed since", r.getDrift());
        Html.list(h, "Differences: expected (from the applied versions) vs live", r.getDifferences());
        if (!r.getVersions().isEmpty()) {
            h.append("<h2>Versions</h2>\n<table><tr><th>version</th><th>description</th><th>state</th><th>outcome</th><th>ms</th><th>detail</th></tr>\n");
            for (SchemaResult.VersionLine v : r.getVersions()) {
                h.append("<tr><td>").append(Html.esc(v.version())).append("</td><td>").append(Html.esc(v.description())).append("</td><td>").append(Html.esc(v.state()))
                        .append("</td><td>").append(Html.esc(v.outcome())).append("</td><td>").append(v.durationMs() == null ? "" : v.durationMs())
                        .append("</td><td>").append(Html.esc(v.detail())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        if (!r.getHistory().isEmpty()) {
            h.append("<h2>History</h2>\n<table><tr><th>#</th><th>version</th><th>operation</th><th>outcome</th><th>when</th><th>ms</th><th>who</th><th>detail</th></tr>\n");
            for (SchemaResult.HistoryEntry e : r.getHistory()) {
                h.append("<tr><td>").append(e.id()).append("</td><td>").append(Html.esc(e.version())).append("</td><td>").append(Html.esc(e.operation()))
                        .append("</td><td>").append(Html.esc(e.outcome())).append("</td><td>").append(Html.esc(String.valueOf(e.startedAt()))).append("</td><td>")
                        .append(e.durationMs()).append("</td><td>").append(Html.esc(e.appliedBy())).append("</td><td>").append(Html.esc(e.detail())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        if (!r.getSql().isEmpty()) {
            h.append("<h2>SQL that would run</h2>\n<pre>").append(Html.esc(String.join("\n", r.getSql()))).append("</pre>\n");
        }
        Html.list(h, "Pending", r.getPending());
        Html.list(h, "Warnings", r.getWarnings());
        Html.list(h, "Notes", r.getNotes());
        h.append("</body></html>\n");
        return h.toString();
    }
}
