package dev.ferry.core.report;

import java.util.List;

/** What every HTML report shares: escaping, and a titled list of lines. */
public final class Html {

    private Html() {
    }

    public static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    /** A heading and the lines as code items; nothing when there are no lines. */
    public static void list(StringBuilder h, String title, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        h.append("<h2>").append(esc(title)).append("</h2>\n<ul>");
        lines.forEach(l -> h.append("<li><code>").append(esc(l)).append("</code></li>"));
        h.append("</ul>\n");
    }
}
