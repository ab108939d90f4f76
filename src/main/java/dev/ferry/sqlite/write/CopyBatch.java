package dev.ferry.sqlite.write;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One batch of rows as COPY text lines, with each line's source position (rowid) so
 * that a failing line can be found, rejected and the rest sent again. Also carries
 * the rows the reader already rejected and the checkpoint the batch advances to.
 */
public final class CopyBatch {

    private byte[] data = new byte[1 << 16];
    private int size;
    private int[] ends = new int[1024];
    private long[] positions = new long[1024];
    private String[] keys = new String[1024];
    private long[] hashes = new long[1024];
    private int rows;
    final List<RejectRow> rejects = new ArrayList<>();
    long checkpoint;
    int segment;
    long read;
    String watermark;

    public void add(long position, String key, String line) {
        add(position, key, line, 0);
    }

    /** A row with its validation hash (the checksum of its converted values). */
    public void add(long position, String key, String line, long hash) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        if (size + b.length + 1 > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + b.length + 1));
        }
        System.arraycopy(b, 0, data, size, b.length);
        size += b.length;
        data[size++] = '\n';
        if (rows == ends.length) {
            ends = Arrays.copyOf(ends, rows * 2);
            positions = Arrays.copyOf(positions, rows * 2);
            keys = Arrays.copyOf(keys, rows * 2);
            hashes = Arrays.copyOf(hashes, rows * 2);
        }
        hashes[rows] = hash;
        ends[rows] = size;
        positions[rows] = position;
        keys[rows] = key;
        rows++;
    }

    public long hash(int row) {
        return hashes[row];
    }

    /** The sum of the rows' hashes, less the rows PostgreSQL refused. */
    public java.math.BigInteger sum(java.util.Set<Integer> refused) {
        long hi = 0;
        long lo = 0;
        java.math.BigInteger total = java.math.BigInteger.ZERO;
        for (int i = 0; i < rows; i++) {
            if (!refused.isEmpty() && refused.contains(i)) {
                continue;
            }
            total = total.add(java.math.BigInteger.valueOf(hashes[i]));
        }
        return total;
    }

    public int rows() {
        return rows;
    }

    public long position(int row) {
        return positions[row];
    }

    public String key(int row) {
        return keys[row] != null ? keys[row] : "rowid=" + positions[row];
    }

    /** Lines [from, to) as one COPY input. */
    public InputStream lines(int from, int to) {
        int start = from == 0 ? 0 : ends[from - 1];
        return new ByteArrayInputStream(data, start, ends[to - 1] - start);
    }

    public String line(int row) {
        int start = row == 0 ? 0 : ends[row - 1];
        return new String(data, start, ends[row] - start - 1, StandardCharsets.UTF_8);
    }

    public long bytes() {
        return size;
    }
}
