package dev.ferry.v2.report;

import java.util.List;
import java.util.Map;

import dev.ferry.core.report.Html;
import dev.ferry.core.report.ValidationHtml;

/** A v2 command's result as a self-contained page: the verdict, the counts per table, rejects and notes; the validation follows. */
public final class V2Html {

    private V2Html() {
    }

    public static String render(V2Result r) {
        StringBuilder h = new StringBuilder(4096);
        String verdict = r.getStatus().name();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ferry v2 ").append(Html.esc(r.getCommand())).append(": ")
                .append(verdict).append("</title>\n<style>\n")
                .append("body{font:14px/1.45 system-ui,sans-serif;margin:24px 32px;color:#1d2430;background:#f6f7f9}\n")
                .append("h1{font-size:22px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 8px}\n")
                .append(".verdict{display:inline-block;padding:4px 14px;border-radius:4px;color:#fff;font-weight:700;margin-right:10px}\n")
                .append(".OK,.OK_WITH_REJECTS{background:#1f883d} .FAILED,.DIFFERS{background:#cf222e} .REFUSED{background:#9a6700}\n")
                .append("table{border-collapse:collapse;background:#fff;border:1px solid #d0d7de} th,td{padding:6px 10px;border-bottom:1px solid #eaeef2}\n")
                .append("td.n{text-align:right} .meta{color:#57606a;margin:6px 0 16px}\n</style></head><body>\n");
        h.append("<h1><span class=\"verdict ").append(verdict).append("\">").append(verdict).append("</span>v2 ").append(Html.esc(r.getCommand()))
                .append(r.getRunId() == null ? "" : " run " + r.getRunId()).append("</h1>\n");
        h.append("<div class=\"meta\">").append(Html.esc(r.getSource())).append(" &rarr; ").append(Html.esc(r.getTarget())).append(", ")
                .append(r.getDurationMillis()).append(" ms").append(r.isDryRun() ? ", dry run: nothing changed" : "").append("</div>\n");
        if (r.getMessage() != null) {
            h.append("<p>").append(Html.esc(r.getMessage())).append("</p>\n");
        }
        if (!r.getTables().isEmpty()) {
            h.append("<h2>v2 tables</h2>\n<table><tr><th>table</th><th>read</th><th>loaded</th><th>updated</th><th>unchanged</th><th>rejected</th>")
                    .append("<th>warnings</th><th>deleted in v2</th><th>rows/s</th></tr>\n");
            for (Map.Entry<String, V2Result.TableCounts> e : r.getTables().entrySet()) {
                V2Result.TableCounts t = e.getValue();
                h.append("<tr><td>").append(Html.esc(e.getKey())).append("</td>");
                for (long v : new long[] {t.getRead(), t.getLoaded(), t.getUpdated(), t.getUnchanged(), t.getRejected(), t.getWarnings(),
                        t.getDeletedInV2(), t.getRowsPerSecond()}) {
                    h.append("<td class=\"n\">").append(v).append("</td>");
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        Html.list(h, "Rejected v2 rows", r.getRejects().stream().map(Object::toString).toList());
        Html.list(h, "Warnings", r.getWarnings().stream().map(Object::toString).toList());
        Html.list(h, "Rows changed since Ferry wrote them", r.getKept());
        Html.list(h, "Notes", r.getNotes());
        if (r.getValidation() != null) {
            String v = ValidationHtml.render(r.getValidation());
            int body = v.indexOf("<body>");
            int end = v.lastIndexOf("</body>");
            h.append("<h2>Validation</h2>\n").append(body < 0 || end < 0 ? Html.esc(v) : v.substring(body + 6, end));
        }
        h.append("</body></html>\n");
        return h.toString();
    }
}
