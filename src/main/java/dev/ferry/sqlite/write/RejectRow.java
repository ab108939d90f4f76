package dev.ferry.sqlite.write;

/** A source row that did not load: which, where in it, and why. */
public record RejectRow(String sourceKey, String column, String value, String reason) {

    public RejectRow {
        if (value != null && value.length() > 2_000) {
            value = value.substring(0, 2_000) + "...";
        }
    }
}
