package dev.ferry.sqlite.write;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.sqlite.convert.ColumnPlan;
import dev.ferry.sqlite.convert.TablePlan;
import dev.ferry.sqlite.convert.TargetKind;
import dev.ferry.sqlite.convert.ValueFormat;
import dev.ferry.sqlite.read.SourceIndex;

/**
 * The unique keys of a table Ferry creates, checked on the converted rows as they
 * stream: a row whose key an earlier row already has (SQLite kept both because they
 * differed in a NULL that a fill-in replaced, or in a value the conversion made equal)
 * is rejected with its own source key, before it reaches PostgreSQL. Keys are kept as
 * 64-bit hashes with the source position of their row, about 32 bytes a row; a hash seen
 * before is only a candidate: the earlier row is read again from SQLite and its key compared,
 * so a hash collision never rejects a valid row. A key with a NULL in it is never a duplicate.
 * An INTEGER PRIMARY KEY loaded as bigint is SQLite's rowid, unique by construction,
 * and is not checked.
 */
public final class UniqueGuard {

    /** The converted row at a source position, read again to confirm a hash hit (rare: duplicates and collisions). */
    @FunctionalInterface
    public interface Earlier {
        Object[] row(long position) throws SQLException;
    }

    private final List<int[]> keys = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    /** Per key, the hashes seen so far. */
    private final KeyHashes[] seen;
    private final ColumnPlan[] columns;
    /** Bits of the hash kept: all of them, except where a test forces collisions. */
    private final long hashMask;

    /** For about {@code expectedRows} rows: the tables start at their final size instead of doubling their way there. */
    public UniqueGuard(TablePlan plan, long expectedRows) {
        this(plan, expectedRows, -1L);
    }

    UniqueGuard(TablePlan plan, long expectedRows, long hashMask) {
        this.hashMask = hashMask;
        this.columns = plan.columns().toArray(new ColumnPlan[0]);
        boolean rowidKey = plan.source().rowidAlias() && plan.columns().stream()
                .anyMatch(c -> c.sourceName().equalsIgnoreCase(plan.source().primaryKey().get(0)) && c.kind() == TargetKind.INTEGER);
        if (!plan.source().primaryKey().isEmpty() && !rowidKey) {
            add(plan.source().primaryKey());
        }
        for (SourceIndex ix : plan.source().indexes()) {
            if (ix.unique()) {
                add(ix.columns());
            }
        }
        int capacity = Integer.highestOneBit((int) Math.min(1 << 22, Math.max(1024, expectedRows * 2)) - 1) << 1;
        seen = new KeyHashes[keys.size()];
        for (int k = 0; k < seen.length; k++) {
            seen[k] = new KeyHashes(capacity);
        }
    }

    private void add(List<String> sourceColumns) {
        int[] idx = new int[sourceColumns.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = -1;
            for (int j = 0; j < columns.length; j++) {
                if (columns[j].sourceName().equalsIgnoreCase(sourceColumns.get(i))) {
                    idx[i] = j;
                }
            }
            if (idx[i] < 0) {
                return;
            }
        }
        keys.add(idx);
        names.add(String.join(", ", java.util.Arrays.stream(idx).mapToObj(j -> columns[j].targetName()).toList()));
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /**
     * Null when the row's keys are all new (and now remembered with the row's position), else why
     * the row is a duplicate. The hashes are computed outside the lock, so the table's readers
     * only queue for the lookups; a hit is confirmed by comparing the keys with the earlier row.
     */
    public String check(Object[] row, long position, Earlier earlier) throws SQLException {
        long[] hashes = new long[keys.size()];
        for (int k = 0; k < hashes.length; k++) {
            hashes[k] = keyHash(keys.get(k), row);
        }
        synchronized (this) {
            for (int k = 0; k < hashes.length; k++) {
                if (hashes[k] == 0) {
                    continue;
                }
                for (long at : seen[k].positions(hashes[k])) {
                    if (sameKey(keys.get(k), row, earlier.row(at))) {
                        return "unique violation: repeats the key (" + names.get(k) + ") of an earlier row";
                    }
                }
            }
            for (int k = 0; k < hashes.length; k++) {
                if (hashes[k] != 0) {
                    seen[k].insert(hashes[k], position);
                }
            }
        }
        return null;
    }

    /** Whether two converted rows hold the same key, by the same equality the hash stands for. */
    private boolean sameKey(int[] key, Object[] a, Object[] b) {
        if (b == null) {
            return false;
        }
        for (int j : key) {
            if (a[j] == null || b[j] == null || !canonical(j, a[j]).equals(canonical(j, b[j]))) {
                return false;
            }
        }
        return true;
    }

    private long value(int j, Object v) {
        return switch (columns[j].kind()) {
            case INTEGER -> ((Number) v).longValue();
            case DATE -> ((LocalDate) v).toEpochDay();
            case BOOLEAN -> ((Boolean) v) ? 1 : 2;
            case DOUBLE -> doubleKey(((Number) v).doubleValue());
            case TIMESTAMPTZ, TIMESTAMP -> ValueFormat.pgMicros((Instant) v);
            default -> Long.MIN_VALUE;
        };
    }

    /** The comparable text of a value whose kind is not a number (numbers compare by value above). */
    private String canonical(int j, Object v) {
        return switch (columns[j].kind()) {
            case INTEGER, DATE, BOOLEAN, DOUBLE, TIMESTAMPTZ, TIMESTAMP -> "#" + value(j, v);
            case TEXT -> v instanceof String str ? str : ValueFormat.canonical(columns[j].kind(), v);
            default -> ValueFormat.canonical(columns[j].kind(), v);
        };
    }

    /**
     * A 64-bit hash of the key's values, equal for keys whose canonical texts are equal; 0 when a value
     * is NULL. Numbers, dates and times are hashed as numbers, the rest by their canonical text.
     */
    private long keyHash(int[] key, Object[] row) {
        long h = 0x6665727279L;
        for (int j : key) {
            Object v = row[j];
            if (v == null) {
                return 0;
            }
            long x = switch (columns[j].kind()) {
                case INTEGER -> ((Number) v).longValue();
                case DATE -> ((LocalDate) v).toEpochDay();
                case BOOLEAN -> ((Boolean) v) ? 1 : 2;
                case DOUBLE -> doubleKey(((Number) v).doubleValue());
                case TIMESTAMPTZ, TIMESTAMP -> ValueFormat.pgMicros((Instant) v); // microseconds, as stored
                case TEXT -> v instanceof String str ? text(str) : text(ValueFormat.canonical(columns[j].kind(), v));
                default -> text(ValueFormat.canonical(columns[j].kind(), v));
            };
            h = mix(h * 0x9E3779B97F4A7C15L + x);
        }
        h &= hashMask;
        return h == 0 ? 1 : h;
    }

    /** PostgreSQL's float8 equality: 0.0 equals -0.0, and every NaN equals every other. */
    private static long doubleKey(double d) {
        return d == 0.0 ? 0L : Double.doubleToLongBits(d);
    }

    /** FNV-1a over the characters, then mixed: two different texts meet with odds of about 2^-64. */
    private static long text(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return mix(h ^ s.length());
    }

    /** MurmurHash3's 64-bit finalizer. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /**
     * An insert-only open-addressing table of non-zero hashes, each with its row's position in
     * the slot beside it (one cache line for both); callers hold the guard's lock.
     */
    private static final class KeyHashes {
        /** Slot i is [2i] = hash, [2i + 1] = position. */
        private long[] slots;
        private int size;

        KeyHashes(int capacity) {
            slots = new long[capacity * 2];
        }

        /** The positions of the rows stored with this hash: usually none, one for a duplicate, more only on collisions. */
        List<Long> positions(long h) {
            List<Long> out = null;
            int mask = slots.length / 2 - 1;
            for (int i = (int) h & mask; slots[2 * i] != 0; i = (i + 1) & mask) {
                if (slots[2 * i] == h) {
                    if (out == null) {
                        out = new ArrayList<>(1);
                    }
                    out.add(slots[2 * i + 1]);
                }
            }
            return out == null ? List.of() : out;
        }

        void insert(long h, long position) {
            int capacity = slots.length / 2;
            if ((size + 1) * 4L > capacity * 3L) {
                long[] bigger = new long[slots.length * 2];
                for (int i = 0; i < capacity; i++) {
                    if (slots[2 * i] != 0) {
                        put(bigger, slots[2 * i], slots[2 * i + 1]);
                    }
                }
                slots = bigger;
            }
            put(slots, h, position);
            size++;
        }

        private static void put(long[] t, long h, long position) {
            int mask = t.length / 2 - 1;
            int i = (int) h & mask;
            while (t[2 * i] != 0) {
                i = (i + 1) & mask;
            }
            t[2 * i] = h;
            t[2 * i + 1] = position;
        }
    }
}
