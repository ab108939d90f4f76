package dev.ferry.core.schema.project;

import java.io.IOException;
import java.io.StringReader;
import java.util.Properties;

/**
 * A version's data step as data (backfill.properties): which table, the key it is batched by,
 * the SET expression, an optional condition and the batch size. Ferry runs it after up.sql has
 * committed, one committed batch at a time.
 */
public record Backfill(String file, String table, String key, String set, String where, int batchSize) {

    public static final int DEFAULT_BATCH = 10_000;
    private static final java.util.List<String> KEYS = java.util.List.of("table", "key", "set", "where", "batch-size");

    public static Backfill parse(String file, String text) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new ProjectException(file, "not a properties file: " + e.getMessage());
        }
        for (String name : p.stringPropertyNames()) {
            if (!KEYS.contains(name)) {
                // a misspelt key (were= for where=) must not silently widen the update
                throw new ProjectException(file, "unknown key " + name + "; the keys are " + String.join(", ", KEYS));
            }
        }
        String table = required(file, p, "table");
        String key = required(file, p, "key");
        String set = required(file, p, "set");
        String where = p.getProperty("where", "").strip();
        int batch;
        try {
            batch = Integer.parseInt(p.getProperty("batch-size", Integer.toString(DEFAULT_BATCH)).strip());
        } catch (NumberFormatException e) {
            throw new ProjectException(file, "batch-size must be a whole number, not " + p.getProperty("batch-size"));
        }
        if (batch <= 0) {
            throw new ProjectException(file, "batch-size must be positive, not " + batch);
        }
        return new Backfill(file, table, key, set, where.isEmpty() ? null : where, batch);
    }

    private static String required(String file, Properties p, String name) {
        String v = p.getProperty(name, "").strip();
        if (v.isEmpty()) {
            throw new ProjectException(file, "needs " + name + "= (table, key and set are required; where and batch-size are optional)");
        }
        return v;
    }
}
