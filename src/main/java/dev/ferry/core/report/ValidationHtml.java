package dev.ferry.core.report;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A validation result as a page for people: the verdict and totals at the top, the checks,
 * a table per source, then each mismatch with the source value and the database value side
 * by side. Self-contained (inline style, no scripts), so it opens from a mail or a share.
 */
public final class ValidationHtml {

    private ValidationHtml() {
    }

    public static String render(ValidationResult r) {
        StringBuilder h = new StringBuilder(8192);
        boolean valid = r.isValid();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Ferry validation: ").append(esc(r.getStatus()))
                .append(" - ").append(esc(r.getSubject())).append("</title>\n<style>\n")
                .append("body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px 32px;color:#1d2430;background:#f6f7f9}\n")
                .append("h1{font-size:22px;margin:0 0 4px} h2{font-size:16px;margin:28px 0 8px}\n")
                .append(".verdict{display:inline-block;padding:4px 14px;border-radius:4px;color:#fff;font-weight:700;letter-spacing:.05em;margin-right:10px}\n")
                .append(".VALID{background:#1f883d} .INVALID{background:#cf222e}\n")
                .append(".meta{color:#57606a;margin:6px 0 16px}\n")
                .append(".cards{display:flex;gap:12px;flex-wrap:wrap} .card{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px 16px;min-width:120px}\n")
                .append(".card b{display:block;font-size:22px} .card span{color:#57606a;font-size:12px}\n")
                .append("table{border-collapse:collapse;background:#fff;border:1px solid #d0d7de;width:100%}\n")
                .append("th,td{padding:6px 10px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:top}\n")
                .append("th{background:#f0f2f5;font-weight:600} td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("td.bad{color:#cf222e;font-weight:600} td.ok{color:#1f883d;font-weight:600}\n")
                .append(".src{background:#fff8c5} .db{background:#ffebe9} code{font-family:ui-monospace,Menlo,monospace;font-size:12.5px}\n")
                .append(".note{background:#ddf4ff;border:1px solid #54aeff;border-radius:6px;padding:8px 12px;margin:8px 0}\n")
                .append("ul.msg li{margin:2px 0}\n</style></head><body>\n");
        h.append("<h1><span class=\"verdict ").append(r.getStatus()).append("\">").append(r.getStatus()).append("</span>")
                .append(esc(r.getSubject())).append("</h1>\n");
        h.append("<div class=\"meta\">Checked ").append(esc(r.getCheckedAt().toString())).append(" in ").append(r.getDurationMillis())
                .append(" ms by Ferry</div>\n");
        h.append("<div class=\"cards\">");
        Set<String> columns = new LinkedHashSet<>();
        r.getSources().forEach(s -> columns.addAll(s.getCounts().keySet()));
        for (String c : columns) {
            card(h, String.valueOf(r.total(c)), c);
        }
        card(h, String.valueOf(r.getMismatchCount()), "differences listed below");
        card(h, r.getChecks().stream().filter(ValidationResult.Check::passed).count() + " / " + r.getChecks().size(), "checks passed");
        h.append("</div>\n");
        r.getNotes().forEach(n -> h.append("<div class=\"note\">").append(esc(n)).append("</div>\n"));
        messages(h, "Errors", r.getErrors());
        if (!r.getChecks().isEmpty()) {
            h.append("<h2>Checks</h2>\n<table><tr><th>check</th><th>result</th><th>detail</th></tr>\n");
            for (ValidationResult.Check c : r.getChecks()) {
                h.append("<tr><td>").append(esc(c.name())).append("</td><td class=\"").append(c.passed() ? "ok\">passed" : "bad\">FAILED")
                        .append("</td><td>").append(esc(c.detail())).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        if (!r.getSources().isEmpty()) {
            h.append("<h2>Sources</h2>\n<table><tr><th>source</th><th>kind</th>");
            columns.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
            h.append("<th>problems</th></tr>\n");
            for (ValidationResult.Source s : r.getSources()) {
                h.append("<tr><td><code>").append(esc(s.getName())).append("</code></td><td>").append(esc(s.getKind())).append("</td>");
                columns.forEach(c -> h.append("<td class=\"n\">").append(s.getCounts().getOrDefault(c, 0L)).append("</td>"));
                h.append("<td class=\"n ").append(s.getProblems() == 0 ? "ok" : "bad").append("\">").append(s.getProblems()).append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
        if (r.getMismatchCount() > 0) {
            h.append("<h2>Mismatches (").append(r.getMismatchCount()).append(r.getMismatchCount() > r.getMismatches().size()
                    ? ", first " + r.getMismatches().size() + " shown" : "").append(")</h2>\n");
            h.append("<table><tr><th>source</th><th>record</th><th>database row</th><th>field</th><th>source value</th><th>database value</th></tr>\n");
            for (ValidationResult.Mismatch m : r.getMismatches()) {
                h.append("<tr><td><code>").append(esc(m.source())).append("</code></td><td><code>").append(esc(m.record()))
                        .append("</code></td><td><code>").append(esc(m.row())).append("</code></td><td><b>").append(esc(m.field()))
                        .append("</b></td><td class=\"src\"><code>").append(esc(m.sourceValue())).append("</code></td><td class=\"db\"><code>")
                        .append(esc(m.databaseValue())).append("</code></td></tr>\n");
            }
            h.append("</table>\n");
        }
        messages(h, "Warnings", r.getWarnings());
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void card(StringBuilder h, String value, String label) {
        h.append("<div class=\"card\"><b>").append(esc(value)).append("</b><span>").append(esc(label)).append("</span></div>");
    }

    private static void messages(StringBuilder h, String title, java.util.List<String> list) {
        if (list.isEmpty()) {
            return;
        }
        h.append("<h2>").append(title).append("</h2>\n<ul class=\"msg\">");
        list.forEach(m -> h.append("<li>").append(esc(m)).append("</li>"));
        h.append("</ul>\n");
    }

    static String esc(String s) {
        return Html.esc(s);
    }
}
