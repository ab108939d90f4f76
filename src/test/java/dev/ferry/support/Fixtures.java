package dev.ferry.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Source files the tests share. */
public final class Fixtures {

    private Fixtures() {
    }

    /** formats.md's trades_history.json example, the one the demo bundles for user 1. */
    public static String formatsExample() {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream("demo/user_1/trades_history.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
