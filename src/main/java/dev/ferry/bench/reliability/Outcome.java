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
 */
public record Outcome(Map<String, Long> rows, Map<String, String> digests,
                      long read, long loaded, long duplicates, long rejected, long other) {

    /** read = loaded + duplicates + rejected (+ other). */
    public boolean balanced() {
        return read == loaded + duplicates + rejected + other;
    }
}
