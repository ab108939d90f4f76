package dev.ferry.v2.transform;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row for a v3 table, made from one v2 row. Values are Java objects in the form the COPY
 * writer and the validator both read: String (text and enum labels), Double, Long, Integer,
 * Boolean, Instant (timestamptz), {@link Json} (json and jsonb) and {@link PgText} (a value v2
 * already rendered as PostgreSQL text, copied as is).
 */
public record V3Row(String table, Map<String, Object> values) {

    public V3Row(String table) {
        this(table, new LinkedHashMap<>());
    }

    public V3Row put(String column, Object value) {
        values.put(column, value);
        return this;
    }

    public Object get(String column) {
        return values.get(column);
    }

    /** JSON text, parsed and re-rendered by the mapper, for a json or jsonb column. */
    public record Json(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** A value in PostgreSQL's own text form (v2 rendered it with ::text): lossless into the same type. */
    public record PgText(String text) {
        @Override
        public String toString() {
            return text;
        }
    }
}
