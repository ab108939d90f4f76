package dev.ferry.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.ferry.bench.TradesHistoryBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks a flow on generated data; see the README's table.",
        subcommands = {BenchCommand.TradesHistory.class, BenchCommand.Inbox.class, BenchCommand.Sqlite.class, BenchCommand.Schema.class, BenchCommand.V2.class,
                BenchCommand.Reliability.class})
public final class BenchCommand {

    @Command(name = "trades-history", mixinStandardHelpOptions = true,
            description = {"Generates a trades_history.json of N trades (half closed) and imports",
                           "it into a fresh database --repeat times, printing trades/s, rows/s and",
                           "peak RSS next to the ceiling: a plain COPY of the very same order and",
                           "fill rows into empty tables, timed in the same run. Run with -Xmx512m."})
    public static final class TradesHistory implements Callable<Integer> {

        @Option(names = "--trades", defaultValue = "1000000", description = "trades in the file (default: ${DEFAULT-VALUE})")
        int trades;

        @Option(names = "--repeat", defaultValue = "3", description = "runs; the median is reported (default: ${DEFAULT-VALUE})")
        int repeat;

        @Option(names = "--database", defaultValue = "ferry_bench", description = "database recreated for each run (default: ${DEFAULT-VALUE})")
        String database;

        @Option(names = "--dir", defaultValue = "data/bench", description = "where the generated file goes (default: ${DEFAULT-VALUE})")
        Path dir;

        @Override
        public Integer call() throws Exception {
            return new TradesHistoryBenchmark(trades, repeat, database, dir).run() ? ExitCodes.OK : ExitCodes.PROBLEMS;
        }
    }

    @Command(name = "inbox", mixinStandardHelpOptions = true,
            description = {"Starts the service in this process at its default settings on a fresh database and drops files",
                           "into its inbox: (i) --trials files of 1,000 trades one at a time, timed from the file's last",
                           "modification to its run's end, less the write-complete wait (median, p90); (ii) 100 files of",
                           "100 trades for 10 users at once (files/s, each user's runs checked to be in file order);",
                           "(iii) the same burst with ferry.inbox.parallel-users=1 for reference. Checks every row arrived."})
    public static final class Inbox implements Callable<Integer> {

        @Option(names = "--trials", defaultValue = "15", description = "single files timed in part (i) (default: ${DEFAULT-VALUE})")
        int trials;

        @Option(names = "--repeat", defaultValue = "3", description = "rounds of all three parts; the medians are reported (default: ${DEFAULT-VALUE})")
        int repeat;

        @Option(names = "--database", defaultValue = "ferry_bench_inbox", description = "database recreated for each part (default: ${DEFAULT-VALUE})")
        String database;

        @Option(names = "--dir", defaultValue = "data/bench", description = "where the inbox and its files go (default: ${DEFAULT-VALUE})")
        Path dir;

        @Override
        public Integer call() throws Exception {
            return new dev.ferry.bench.InboxBenchmark(trials, database, dir).run(repeat) ? ExitCodes.OK : ExitCodes.PROBLEMS;
        }
    }

    @Command(name = "sqlite", mixinStandardHelpOptions = true,
            description = {"Generates a SQLite market store shaped like the real one (12 tables, --ohlcv-rows bars) and",
                           "migrates it --repeat times: Ferry's whole job into a fresh database, Ferry again with",
                           "--conflict update, pgloader into another fresh database, and psql \\copy of the OHLCV rows",
                           "as the ceiling. Prints each run and the medians against the targets. Needs pgloader and psql",
                           "on the PATH (apt-get install -y pgloader postgresql-client). Run with -Xmx512m."})
    public static final class Sqlite implements Callable<Integer> {

        @Option(names = "--ohlcv-rows", defaultValue = "926325", description = "OHLCV bars in the store (default: ${DEFAULT-VALUE}, the real store's)")
        int ohlcvRows;

        @Option(names = "--repeat", defaultValue = "3", description = "runs; the median is reported (default: ${DEFAULT-VALUE})")
        int repeat;

        @Option(names = "--database", defaultValue = "ferry_bench_sqlite", description = "database recreated for each run (default: ${DEFAULT-VALUE})")
        String database;

        @Option(names = "--dir", defaultValue = "data/bench", description = "where the generated store goes (default: ${DEFAULT-VALUE})")
        Path dir;

        @Override
        public Integer call() throws Exception {
            return new dev.ferry.bench.SqliteBenchmark(ohlcvRows, repeat, database, dir).run() ? ExitCodes.OK : ExitCodes.PROBLEMS;
        }
    }

    @Command(name = "schema", mixinStandardHelpOptions = true,
            description = {"The trading-system project's 1.1.0 backfill (prices.adjusted_close, in committed key batches) over",
                           "--rows prices rows, against one plain UPDATE prices SET adjusted_close = close on an identical",
                           "copy, each while a writer inserts and updates prices rows every 2 ms. Prints both times, their",
                           "ratio and the writer's longest and p99 statement latency during each, and the medians."})
    public static final class Schema implements Callable<Integer> {

        @Option(names = "--rows", defaultValue = "1000000", description = "prices rows (default: ${DEFAULT-VALUE})")
        int rows;

        @Option(names = "--repeat", defaultValue = "3", description = "runs; the median is reported (default: ${DEFAULT-VALUE})")
        int repeat;

        @Option(names = "--database", defaultValue = "ferry_bench_schema", description = "prefix of the two databases recreated per run (default: ${DEFAULT-VALUE})")
        String database;

        @Option(names = "--project", defaultValue = "config/schema/trading-system", description = "the project (default: ${DEFAULT-VALUE})")
        Path project;

        @Override
        public Integer call() throws Exception {
            return new dev.ferry.bench.SchemaBenchmark(rows, repeat, database, project).run() ? ExitCodes.OK : ExitCodes.PROBLEMS;
        }
    }

    @Command(name = "v2", mixinStandardHelpOptions = true,
            description = {"Generates the bot's v2 database (--trades trades, 60% closed, and signals, sltp orders, history rows and sessions",
                           "in proportion) and, --repeat times: the guide's own SQL by psql on the same rows (the reference), Ferry's full",
                           "pass with its validation (bin/ferry v2 migrate), 1,000 changes in v2, and one sync. Prints the times, ratios,",
                           "peak RSS and rows/s per table, and the medians against the targets. Needs psql on the PATH."})
    public static final class V2 implements Callable<Integer> {

        @Option(names = "--trades", defaultValue = "200000", description = "v2 trades (default: ${DEFAULT-VALUE})")
        int trades;

        @Option(names = "--repeat", defaultValue = "3", description = "runs; the median is reported (default: ${DEFAULT-VALUE})")
        int repeat;

        @Option(names = "--database", defaultValue = "ferry_bench_v2", description = "prefix of the databases recreated per run (default: ${DEFAULT-VALUE})")
        String database;

        @Option(names = "--dir", defaultValue = "data/bench", description = "where logs and reports go (default: ${DEFAULT-VALUE})")
        Path dir;

        @Override
        public Integer call() throws Exception {
            return new dev.ferry.bench.V2Benchmark(trades, repeat, database, dir).run() ? ExitCodes.OK : ExitCodes.PROBLEMS;
        }
    }

    @Command(name = "reliability", mixinStandardHelpOptions = true,
            description = {"The reliability suite: every flow, every fault it can meet (kill -9 at random points by time and by",
                           "progress, PostgreSQL restarted and unreachable, a full and a read-only reports folder, SIGTERM, two",
                           "processes at once), --trials each, on a PostgreSQL cluster of its own (initdb into a temporary",
                           "folder, free port; never the server of ferry.db.url). Each trial ends comparing the target with a",
                           "clean run's and checking read = loaded + duplicates + rejected. Prints one table; exit code 1 when a",
                           "cell lost, duplicated or altered a row or its counts do not add up. Needs root for the mounts."})
    public static final class Reliability implements Callable<Integer> {

        @Option(names = "--trials", defaultValue = "0",
                description = "trials per cell; 1 is the short version (default: 10 for KILL_9, 3 for every other fault)")
        int trials;

        @Option(names = "--flows", split = ",", description = "flows to run, by name (default: all): ${COMPLETION-CANDIDATES}")
        java.util.List<String> flows = new java.util.ArrayList<>();

        @Option(names = "--faults", split = ",", description = "faults to inject (default: all): ${COMPLETION-CANDIDATES}")
        java.util.List<dev.ferry.bench.reliability.Fault> faults = new java.util.ArrayList<>();

        @Option(names = "--seed", description = "the suite's seed, to rerun the same trials (default: a new one, printed)")
        Long seed;

        @Option(names = "--stall-seconds", defaultValue = "30", description = "how long PG_UNREACHABLE stops the proxy (default: ${DEFAULT-VALUE})")
        int stallSeconds;

        @Option(names = "--dir", description = "where the trials' folders go (default: <tmp>/ferry-reliability)")
        Path dir;

        @Option(names = "--port", defaultValue = "0", description = "port of the suite's own PostgreSQL (default: a free one)")
        int port;

        @Override
        public Integer call() throws Exception {
            var d = dev.ferry.bench.reliability.ReliabilitySuite.Options.defaults();
            var options = new dev.ferry.bench.reliability.ReliabilitySuite.Options(trials, java.util.Set.copyOf(flows),
                    faults.isEmpty() ? java.util.Set.of() : java.util.EnumSet.copyOf(faults), seed != null ? seed : d.seed(),
                    java.time.Duration.ofSeconds(stallSeconds), dir != null ? dir : d.workRoot(), port);
            var flowList = dev.ferry.bench.reliability.ReliabilitySuite.flows();
            return new dev.ferry.bench.reliability.ReliabilitySuite(flowList, options).run().ok() ? ExitCodes.OK : ExitCodes.PROBLEMS;
        }
    }
}
