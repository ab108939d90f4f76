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

    /** Whether this load writes the page's digest (its checkpoint): not for the single rows of a page PostgreSQL refused whole. */
    public boolean checkpoint = true;

    /** One row of this page on its own, for loading it alone. */
    public V3Page single(Mapped row) {
        V3Page one = new V3Page(table, page, lo, hi, digest);
        one.checkpoint = false;
        one.read = 1;
        Known k = known.get(row.v2Id());
        if (k == null) {
            one.fresh.add(row);
        } else {
            one.changed.add(new Changed(row, k.outcome(), k.hash()));
        }
        return one;
    }

    /** The page without its new and changed rows: what is left to record once they were loaded one by one. */
    public V3Page rest() {
        V3Page r = new V3Page(table, page, lo, hi, digest);
        r.read = read - fresh.size() - changed.size();
        r.unchanged = unchanged;
        r.deleted.addAll(deleted);
        return r;
    }

    /** Drops the rows once loaded: only the page's counts are needed after its commit. */
    public void release() {
        fresh.clear();
        changed.clear();
        known.clear();
        fetch.clear();
        deleted.clear();
    }

    /** Every new and changed row of the page. */
    public List<Mapped> rows() {
        List<Mapped> all = new ArrayList<>(fresh);
        changed.forEach(c -> all.add(c.row()));
        return all;
    }

    public int getFetchCount() {
        return fetch.size();
    }
}
