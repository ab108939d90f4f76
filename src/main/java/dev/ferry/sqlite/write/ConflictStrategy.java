package dev.ferry.sqlite.write;

import java.util.Locale;

/** What happens when a source row's key is already in an existing target table. */
public enum ConflictStrategy {
    /** keep the target row */
    SKIP,
    /** overwrite it (its before-image is kept for rollback) */
    UPDATE,
    /** stop the table, naming the conflicting key */
    FAIL;

    public static ConflictStrategy of(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--conflict must be skip, update or fail, not '" + s + "'");
        }
    }

    public String dbValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
