package dev.ferry.bench.reliability;

import java.util.Map;

/**
 * What a flow left behind, read back from the target after a trial.
 *
 * @param rows    row count per target table
 * @param digests a content digest per target table, independent of row order and of columns that differ
 *                between two correct runs (run ids, timestamps, generated ids)
 * @param read    records read by the runs of this trial (summed over the runs that completed)
 * @param loaded  records loaded
 * @param duplicates records skipped as duplicates
 * @param rejected records rejected
 * @param other   records the flow counts otherwise (updated, unchanged, ...), 0 where it has none
 * @param rowHashes per target table, how many rows have each row digest (the multiset behind {@code digests});
 *                empty for a table whose flow gives only its digest. With it the harness counts rows lost,
 *                duplicated and altered; without it, only that the table differs.
 */
public record Outcome(Map<String, Long> rows, Map<String, String> digests,
                      long read, long loaded, long duplicates, long rejected, long other,
                      Map<String, Map<String, Long>> rowHashes) {

    /** An outcome with digests only, no per-row multisets. */
    public Outcome(Map<String, Long> rows, Map<String, String> digests,
                   long read, long loaded, long duplicates, long rejected, long other) {
        this(rows, digests, read, loaded, duplicates, rejected, other, Map.of());
    }

    /** read = loaded + duplicates + rejected (+ other). */
    public boolean balanced() {
        return read == loaded + duplicates + rejected + other;
    }

    /** The same tables with the runs' counts of this trial. */
    public static Outcome of(TargetRows target, long read, long loaded, long duplicates, long rejected, long other) {
        return new Outcome(target.rows(), target.digests(), read, loaded, duplicates, rejected, other, target.hashes());
    }
}
