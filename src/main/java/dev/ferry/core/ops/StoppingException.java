package dev.ferry.core.ops;

/**
 * A run ended because Ferry is stopping ({@link StopSignal#check}): it rolled back what it had
 * not committed. Unchecked, so it passes through the readers' callbacks and Camel's splits to the
 * run that records it; the shared error handling then leaves an inbox file where it is.
 */
public final class StoppingException extends RuntimeException {

    public StoppingException(String message) {
        super(message);
    }
}
