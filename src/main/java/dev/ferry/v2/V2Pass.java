package dev.ferry.v2;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.ferry.core.report.RunResult;
import dev.ferry.v2.read.V2Table;
import dev.ferry.v2.report.V2Result;

/**
 * One pass over v2 (the full first pass, a sync or the cutover's last sync), the body the route's
 * stages share: the request, the tables in load order, the page digests the last pass committed,
 * the result being counted and the run in Ferry's ledger.
 */
public final class V2Pass {

    /** A page of v2 ids [lo, hi): its digest now (null when the page has no rows left) and its row count. */
    public record Page(String table, long page, long lo, long hi, String digest, long rows) {
        /** The idempotent consumer's key: the same table, page and digest was loaded before. */
        public String key() {
            return table + "/" + page + "/" + (digest == null ? "empty" : digest);
        }
    }

    public final V2Request request;
    public final V2Result result;
    public final List<V2Table> tables;
    public final int pageRows;
    public final boolean applyDeletes;
    public final RunResult run;
    /** Ferry's database connection that holds the run (its backend marks the run as alive). */
    public final Connection control;
    /** v3: the connection of the pass, holding the migration's advisory lock. */
    public final Connection v3;
    final Map<String, Map<Long, String>> committedDigests = new ConcurrentHashMap<>();

    V2Pass(V2Request request, V2Result result, List<V2Table> tables, int pageRows, boolean applyDeletes, RunResult run, Connection control,
           Connection v3) {
        this.request = request;
        this.result = result;
        this.tables = tables;
        this.pageRows = pageRows;
        this.applyDeletes = applyDeletes;
        this.run = run;
        this.control = control;
        this.v3 = v3;
    }

    public List<V2Table> getTables() {
        return tables;
    }

    /** migrate, sync and cutover go through the load stages; validate goes straight to the end. */
    public boolean isLoads() {
        return request.loads();
    }
}
