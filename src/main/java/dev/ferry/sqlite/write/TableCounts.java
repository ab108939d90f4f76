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
    public long checkpoint;
    public String watermark;
    public double seconds;
    public final List<RejectRow> firstRejects = new ArrayList<>();

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
