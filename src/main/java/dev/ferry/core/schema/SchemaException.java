package dev.ferry.core.schema;

/** A schema command that cannot go on; the message says why in the user's terms (file, line, object). */
public class SchemaException extends RuntimeException {

    public SchemaException(String message) {
        super(message);
    }

    public SchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
