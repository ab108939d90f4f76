package dev.ferry.sqlite.write;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

import dev.ferry.sqlite.convert.ColumnPlan;
import dev.ferry.sqlite.convert.TablePlan;
import dev.ferry.sqlite.convert.ValueFormat;
import dev.ferry.sqlite.read.SourceIndex;

/**
 * The unique keys of a table Ferry creates, checked on the converted rows as they
 * stream: a row whose key an earlier row already has (SQLite kept both because they
 * differed in a NULL that a fill-in replaced, or in a value the conversion made equal)
 * is rejected with its own source key, before it reaches PostgreSQL. Keys are kept as
 * 64-bit digests, about 16 bytes a row; a key with a NULL in it is never a duplicate.
 */
public final class UniqueGuard {

    private final List<int[]> keys = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final List<long[]> tables = new ArrayList<>();
    private final int[] sizes;
    private final ColumnPlan[] columns;
    private final MessageDigest md5;

    public UniqueGuard(TablePlan plan) {
        this.columns = plan.columns().toArray(new ColumnPlan[0]);
        if (!plan.source().primaryKey().isEmpty()) {
            add(plan.source().primaryKey());
        }
        for (SourceIndex ix : plan.source().indexes()) {
            if (ix.unique()) {
                add(ix.columns());
            }
        }
        sizes = new int[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            tables.add(new long[1024]);
        }
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
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

    /** Null when the row's keys are all new (and now remembered), else why the row is a duplicate. */
    public synchronized String check(Object[] row) {
        long[] hashes = new long[keys.size()];
        for (int k = 0; k < keys.size(); k++) {
            StringBuilder sb = new StringBuilder();
            boolean hasNull = false;
            for (int j : keys.get(k)) {
                if (row[j] == null) {
                    hasNull = true;
                    break;
                }
                sb.append(ValueFormat.canonical(columns[j].kind(), row[j])).append('\u001f');
            }
            if (hasNull) {
                hashes[k] = 0;
                continue;
            }
            long h = ByteBuffer.wrap(md5.digest(sb.toString().getBytes(StandardCharsets.UTF_8))).getLong();
            hashes[k] = h == 0 ? 1 : h;
            if (contains(k, hashes[k])) {
                return "unique violation: repeats the key (" + names.get(k) + ") of an earlier row";
            }
        }
        for (int k = 0; k < keys.size(); k++) {
            if (hashes[k] != 0) {
                insert(k, hashes[k]);
            }
        }
        return null;
    }

    private boolean contains(int k, long h) {
        long[] t = tables.get(k);
        int mask = t.length - 1;
        for (int i = (int) (h ^ (h >>> 32)) & mask; t[i] != 0; i = (i + 1) & mask) {
            if (t[i] == h) {
                return true;
            }
        }
        return false;
    }

    private void insert(int k, long h) {
        long[] t = tables.get(k);
        if ((sizes[k] + 1) * 4L > t.length * 3L) {
            long[] bigger = new long[t.length * 2];
            for (long v : t) {
                if (v != 0) {
                    put(bigger, v);
                }
            }
            tables.set(k, bigger);
            t = bigger;
        }
        put(t, h);
        sizes[k]++;
    }

    private static void put(long[] t, long h) {
        int mask = t.length - 1;
        int i = (int) (h ^ (h >>> 32)) & mask;
        while (t[i] != 0) {
            i = (i + 1) & mask;
        }
        t[i] = h;
    }
}
