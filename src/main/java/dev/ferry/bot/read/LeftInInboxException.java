package dev.ferry.bot.read;

import java.io.IOException;

/**
 * An inbox file that was not read now and stays where it is for a later scan or start: it was
 * written to after it was found complete, or Ferry stopped before its turn came. The file consumer
 * leaves a file whose exchange failed in the inbox; the shared error handling logs one line.
 */
public final class LeftInInboxException extends IOException {

    public LeftInInboxException(String message) {
        super(message);
    }
}
