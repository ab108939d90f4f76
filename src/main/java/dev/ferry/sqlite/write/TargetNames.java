package dev.ferry.sqlite.write;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import dev.ferry.sqlite.convert.Hex;

/**
 * Target identifiers: always double-quoted (spaces, mixed case and reserved words
 * survive as they are), and cut to PostgreSQL's 63 bytes with a hash of the full
 * name, so two long names that share a prefix never collapse into one.
 */
public final class TargetNames {

    static final int MAX_BYTES = 63;

    private TargetNames() {
    }

    public static String fit(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_BYTES) {
            return name;
        }
        String prefix = name;
        while (prefix.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES - 9) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        try {
            byte[] md5 = MessageDigest.getInstance("MD5").digest(b);
            return prefix + "_" + Hex.of(md5).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String quote(String name) {
        return '"' + fit(name).replace("\"", "\"\"") + '"';
    }

    /** A string literal for SQL text. */
    public static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
