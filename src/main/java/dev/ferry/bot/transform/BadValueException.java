package dev.ferry.bot.transform;

/** A source record that cannot be loaded: which field, and why. */
public class BadValueException extends Exception {

    private final String field;

    public BadValueException(String field, String reason) {
        super(reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
