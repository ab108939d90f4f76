package dev.ferry.v2.write;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.v2.read.V2Table;
import dev.ferry.v2.transform.Mapped;

/**
 * One page of v2 ids after dedup: the rows new to v3, the rows changed since the last pass (with
 * what they were), the unchanged count, and the ids that have gone from v2.
 */
public final class V3Page {

    /** A changed row and the outcome the last pass gave it. */
    public record Changed(Mapped row, String previousOutcome, long previousHash) {
    }

    /** What the lineage knows of a v2 row: its hash as of the last pass, what became of it, whether it was gone. */
    public record Known(long hash, String outcome, boolean deleted) {
    }

    public final V2Table table;
    public final long page;
    public final long lo;
    public final long hi;
    public final String digest;
    public final Map<Long, Known> known = new HashMap<>();
    /** The ids to read: new or changed since the last pass. */
    public final List<Long> fetch = new ArrayList<>();
    public boolean wholePage;
    public final List<Mapped> fresh = new ArrayList<>();
    public final List<Changed> changed = new ArrayList<>();
    public final List<Long> deleted = new ArrayList<>();
    public long read;
    public long unchanged;
    public final long startedNanos = System.nanoTime();

    public V3Page(V2Table table, long page, long lo, long hi, String digest) {
        this.table = table;
        this.page = page;
        this.lo = lo;
        this.hi = hi;
        this.digest = digest;
    }

    public int getFetchCount() {
        return fetch.size();
    }
}
