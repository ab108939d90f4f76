package dev.ferry.sqlite.write;

/** --conflict fail met a key that is already in the target. */
public final class ConflictException extends RuntimeException {
    public ConflictException(String message) {
        super(message);
    }
}
