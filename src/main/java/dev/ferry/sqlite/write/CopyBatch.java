package dev.ferry.sqlite.write;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * One batch of rows as COPY input (text lines or binary tuples), with each row's source
 * position (rowid) and validation hash, so that a row PostgreSQL refuses can be found,
 * rejected and the rest sent again. Also carries the rows the reader already rejected
 * and the checkpoint the batch advances its segment to.
 */
public final class CopyBatch {

    private final boolean binary;
    final ByteSink sink;
    private int[] ends;
    private long[] positions;
    private long[] hashes;
    private int rows;
    final List<RejectRow> rejects = new ArrayList<>();
    long checkpoint;
    int segment;
    long read;
    String watermark;

    public CopyBatch(boolean binary) {
        this(binary, null);
    }

    /** A batch sized like {@code previous} (the same reader's last one), so that its buffers need not grow. */
    public CopyBatch(boolean binary, CopyBatch previous) {
        this.binary = binary;
        int bytes = previous == null ? 1 << 16 : previous.sink.size + (previous.sink.size >> 3) + 1024;
        int n = previous == null ? 1024 : previous.rows + (previous.rows >> 3) + 16;
        sink = new ByteSink(bytes);
        ends = new int[n];
        positions = new long[n];
        hashes = new long[n];
    }

    /** Where the next row starts; {@link #reset} goes back there when a row cannot be encoded. */
    int mark() {
        return sink.size;
    }

    void reset(int mark) {
        sink.size = mark;
    }

    void addLine(String line) {
        sink.bytes(line.getBytes(StandardCharsets.UTF_8));
        sink.int8('\n');
    }

    /** Ends the row written since the last one. */
    void endRow(long position, long hash) {
        if (rows == ends.length) {
            ends = Arrays.copyOf(ends, rows * 2);
            positions = Arrays.copyOf(positions, rows * 2);
            hashes = Arrays.copyOf(hashes, rows * 2);
        }
        ends[rows] = sink.size;
        positions[rows] = position;
        hashes[rows] = hash;
        rows++;
    }

    public int rows() {
        return rows;
    }

    public long position(int row) {
        return positions[row];
    }

    /** The sum of the rows' hashes, less the rows PostgreSQL refused. */
    public BigInteger sum(Set<Integer> refused) {
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < rows; i++) {
            if (!refused.isEmpty() && refused.contains(i)) {
                continue;
            }
            long h = hashes[i];
            long sum = lo + h;
            // 128-bit accumulation: carry out of the low word, and the sign of h into the high word
            hi += (h < 0 ? -1 : 0) + (Long.compareUnsigned(sum, lo) < 0 ? 1 : 0);
            lo = sum;
        }
        return BigInteger.valueOf(hi).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo)));
    }

    /** Rows [from, to) as one COPY input. */
    public InputStream lines(int from, int to) {
        int start = from == 0 ? 0 : ends[from - 1];
        InputStream slice = new ByteArrayInputStream(sink.data, start, ends[to - 1] - start);
        if (!binary) {
            return slice;
        }
        return new SequenceInputStream(Collections.enumeration(List.of(new ByteArrayInputStream(BinaryRows.HEADER), slice,
                new ByteArrayInputStream(BinaryRows.TRAILER))));
    }

    /** A row as text, for a reject's value; binary rows are named by their key only. */
    public String line(int row) {
        if (binary) {
            return null;
        }
        int start = row == 0 ? 0 : ends[row - 1];
        return new String(sink.data, start, ends[row] - start - 1, StandardCharsets.UTF_8);
    }
}
