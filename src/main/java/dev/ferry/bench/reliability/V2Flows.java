package dev.ferry.bench.reliability;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.demo.V2DatabaseGenerator;
import dev.ferry.v2.V2Migration;

/**
 * What the v2 flows share: the v2 database beside the trial's (the v3 target is the trial's database, which is also
 * Ferry's), and the read-back of v3 and its lineage.
 */
abstract class V2Flows extends RerunFlow {

    /** The v2 tables Ferry reads, in its load order. */
    static final List<String> V2_TABLES = List.of("trading_sessions", "bybit_trade_history", "trades", "sltp_orders", "signals");

    static String v2Database(Trial trial) {
        return trial.database() + "_v2";
    }

    /** v2 as Ferry reaches it: through the trial's proxy, so an outage cuts the source too. */
    static String v2Url(Trial trial) {
        return FlowSupport.withDatabase(trial.jdbcUrl(), v2Database(trial));
    }

    static String v2AdminUrl(Trial trial) {
        return trial.adminUrl(v2Database(trial));
    }

    /**
     * The v2 database, the same for every trial whatever its seed: the clean trial's outcome is the reference.
     * About 22,000 rows, two pages of 5,000 (Ferry's default page) in each larger table, so a kill lands between
     * page commits. Without the generator's quirks: their rejects make every run exit 1, and a harness that reruns
     * the recover command until it exits 0 would never stop.
     */
    static void createV2(Trial trial) throws Exception {
        FlowSupport.recreate(trial, v2Database(trial));
        try (Connection c = FlowSupport.connect(trial, v2AdminUrl(trial))) {
            V2DatabaseGenerator.small().quirks(false).trades(8_000).signals(6_000).sltp(2_000).history(6_000).sessions(100).orders(2_000)
                    .create(c);
        }
    }

    static long v2Rows(Trial trial) throws Exception {
        try (Connection c = FlowSupport.connect(trial, v2AdminUrl(trial))) {
            long n = 0;
            for (String t : V2_TABLES) {
                n += FlowSupport.count(c, "SELECT count(*) FROM " + t);
            }
            return n;
        }
    }

    static List<String> command(Trial trial, String command, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("v2", command, "--source", v2Url(trial)));
        args.addAll(List.of(more));
        return args;
    }

    /** v2 rows the lineage holds (run after {@code afterRun}): each is loaded, rejected or ambiguous, committed with its page. */
    static long lineageRows(Trial trial, long afterRun) throws Exception {
        try (Connection c = FlowSupport.connect(trial, trial.adminUrl())) {
            if (!FlowSupport.exists(c, "ferry_v2.source_rows")) {
                return 0;
            }
            return FlowSupport.count(c, "SELECT count(*) FROM ferry_v2.source_rows WHERE run_id > " + afterRun);
        }
    }

    @Override
    public Outcome outcome(Trial trial) throws Exception {
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, String> digests = new LinkedHashMap<>();
        try (Connection c = FlowSupport.connect(trial, trial.adminUrl())) {
            // v3 draws its ids, so rows are compared without them; the sltp orders name their order by its order_id
            for (String t : List.of("orders", "trades", "signals", "bybit_trade_history", "trading_sessions")) {
                FlowSupport.digest(c, t, FlowSupport.rowsWithout(t, "id"), rows, digests);
            }
            FlowSupport.digest(c, "sltp_orders", "SELECT (to_jsonb(s) - 'id' - 'trade_id' || jsonb_build_object('order', o.order_id))::text "
                    + "FROM sltp_orders s LEFT JOIN orders o ON o.id = s.trade_id", rows, digests);
            FlowSupport.digest(c, "ferry_v2.rejects", "SELECT concat_ws('|', v2_table, v2_id, column_name, value, reason, warning) "
                    + "FROM ferry_v2.rejects", rows, digests);
            FlowSupport.digest(c, "ferry_v2.source_rows", "SELECT concat_ws('|', v2_table, v2_id, row_hash, outcome, deleted) "
                    + "FROM ferry_v2.source_rows", rows, digests);
            digests.put("runs left running", Long.toString(FlowSupport.running(c, V2Migration.FLOW)));
            long[] n = FlowSupport.completedRunCounts(c, V2Migration.FLOW);
            // Ferry records updated rows with the loaded ones and unchanged rows as duplicates
            return new Outcome(rows, digests, n[0], n[1], n[2], n[3], 0);
        }
    }
}
