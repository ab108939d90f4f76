package dev.ferry.core.report;

import java.util.List;

/** A plain-text table with aligned columns: text left, numbers right. */
public final class TextTable {

    private TextTable() {
    }

    public static String render(List<String[]> rows) {
        int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int n = 0; n < rows.size(); n++) {
            String[] r = rows.get(n);
            out.append("  ");
            for (int i = 0; i < r.length; i++) {
                boolean number = n > 0 && r[i].matches("-?[0-9.,]+");
                out.append(number ? " ".repeat(width[i] - r[i].length()) + r[i] : r[i] + " ".repeat(width[i] - r[i].length()));
                out.append(i + 1 < r.length ? "  " : "");
            }
            out.append('\n');
        }
        return out.toString();
    }
}
