package dev.ferry.sqlite.write;

import java.util.ArrayList;
import java.util.List;

/** A table's counts as its load goes, including what an interrupted earlier attempt committed. */
public final class TableCounts {
    public long read;
    public long loaded;
    public long updated;
    public long skipped;
    public long rejected;
    /** Per segment: the last source position it covers, and the last one committed. */
    public long[] ends = {Long.MAX_VALUE};
    public long[] checkpoints = {Long.MIN_VALUE};
    public String watermark;
    public double seconds;
    /** Validation's source side of the committed rows: how many, and the sum of their hashes. */
    public long sourceCount;
    public java.math.BigInteger sourceSum = java.math.BigInteger.ZERO;
    public final List<RejectRow> firstRejects = new ArrayList<>();

    /** Where everything is committed when the segments are done: the highest position reached. */
    public long highest() {
        long h = Long.MIN_VALUE;
        for (long c : checkpoints) {
            h = Math.max(h, c);
        }
        return h;
    }

    void addRejects(List<RejectRow> rows, int keep) {
        rejected += rows.size();
        for (RejectRow r : rows) {
            if (firstRejects.size() >= keep) {
                break;
            }
            firstRejects.add(r);
        }
    }
}
