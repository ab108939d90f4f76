package dev.ferry.core.schema.catalog;

import java.util.Objects;

/**
 * One object on which two catalogs disagree. {@code expected} is null for an
 * {@link Kind#EXTRA} object and {@code actual} is null for a {@link Kind#MISSING} one.
 */
public record Difference(Kind kind, String object, String expected, String actual) {

    public enum Kind { MISSING, EXTRA, DIFFERENT }

    /** Definitions longer than this are cut to a window around the first change, so one line stays readable. */
    static final int WHOLE = 160;
    private static final int BEFORE = 40;
    private static final int AFTER = 80;

    public Difference {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(object, "object");
        switch (kind) {
            case MISSING -> Objects.requireNonNull(expected, "expected");
            case EXTRA -> Objects.requireNonNull(actual, "actual");
            case DIFFERENT -> {
                Objects.requireNonNull(expected, "expected");
                Objects.requireNonNull(actual, "actual");
            }
        }
    }

    /**
     * One line, e.g. "missing column public.prices.adjusted_close (numeric(10,2) NULL)",
     * "extra index public.idx_x: CREATE INDEX ...",
     * "different column public.prices.close: expected numeric(10,2) NOT NULL, found numeric NOT NULL".
     */
    public String line() {
        return switch (kind) {
            case MISSING -> "missing " + object + described(expected);
            case EXTRA -> "extra " + object + described(actual);
            case DIFFERENT -> different();
        };
    }

    private String described(String definition) {
        String flat = oneLine(definition);
        if (flat.isEmpty()) {
            return "";
        }
        String shown = flat.length() <= WHOLE ? flat : flat.substring(0, WHOLE) + "…";
        return isStatement() ? ": " + shown : " (" + shown + ")";
    }

    private String different() {
        String e = oneLine(expected);
        String a = oneLine(actual);
        if (e.length() > WHOLE || a.length() > WHOLE) {
            // A function body differing in one word would otherwise fill a screen twice over.
            int at = firstDifference(e, a);
            e = window(e, at);
            a = window(a, at);
        }
        return "different " + object + ": expected " + e + ", found " + a;
    }

    /**
     * Statement-like definitions read as "object: CREATE ..."; short attribute lists
     * read better in parentheses after the name.
     */
    private boolean isStatement() {
        return object.startsWith("index ") || object.startsWith("view ") || object.startsWith("materialized view ")
                || object.startsWith("function ") || object.startsWith("trigger ") || object.startsWith("constraint ");
    }

    static String oneLine(String definition) {
        return definition == null ? "" : definition.strip().replaceAll("\\s+", " ");
    }

    private static int firstDifference(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return n;
    }

    private static String window(String s, int at) {
        int from = Math.max(0, at - BEFORE);
        int to = Math.min(s.length(), at + AFTER);
        return (from > 0 ? "…" : "") + s.substring(from, to) + (to < s.length() ? "…" : "");
    }
}
