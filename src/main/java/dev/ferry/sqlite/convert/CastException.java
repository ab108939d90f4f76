package dev.ferry.sqlite.convert;

/** A source value that cannot become its target column's value; the row is rejected with this reason. */
public final class CastException extends Exception {

    private final String column;
    private final String value;

    public CastException(String column, Object value, String reason) {
        super(reason, null, false, false); // thrown per bad value: no stack trace to fill
        this.column = column;
        this.value = value == null ? null : value instanceof byte[] b ? "x'" + Hex.of(b) + "'" : value.toString();
    }

    public String column() {
        return column;
    }

    public String value() {
        return value;
    }
}
