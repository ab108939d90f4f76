package dev.ferry.bench.reliability;

import java.nio.file.Path;
import java.util.List;

import dev.ferry.demo.BundledFiles;
import dev.ferry.demo.TradesHistoryGenerator;

/**
 * {@code ferry migrate --data-dir DIR --user-id 1} of a whole bot folder: a large trades history, the
 * demo's pending orders, and paper orders, holdings and transactions, each file its own run in dependency
 * order. Recovery is the same command again: the files already loaded are known duplicates, the rest load.
 */
public final class MigrateFolderFlow implements ReliabilityFlow {

    static final int TRADES = 20_000;
    /** The bundled files' records: 3 pending orders, 3 paper orders, 2 holdings, 3 transactions. */
    private static final int SMALL_FILES_RECORDS = 11;

    @Override
    public String name() {
        return "migrate bot folder";
    }

    @Override
    public void prepare(Trial trial) throws Exception {
        BotTarget.prepare(trial);
        Path data = folder(trial);
        BundledFiles.copy("demo/user_1", data);
        BundledFiles.copy("demo/user_2/paper_trading", data.resolve("paper_trading"));
        // in place of the demo's small trades history: one large enough for the faults to land mid-file
        new TradesHistoryGenerator().trades(TRADES).seed(17).write(data.resolve("trades_history.json"));
    }

    private static Path folder(Trial trial) {
        return trial.workDir().resolve("bot");
    }

    @Override
    public List<String> start(Trial trial) {
        return List.of("migrate", "--data-dir", folder(trial).toString(), "--user-id", "1");
    }

    @Override
    public List<String> recover(Trial trial) {
        return start(trial);
    }

    @Override
    public double progress(Trial trial) throws Exception {
        return BotTarget.recordsRead(trial) / (double) (TRADES + SMALL_FILES_RECORDS);
    }

    @Override
    public Outcome outcome(Trial trial) throws Exception {
        return BotTarget.outcome(trial);
    }
}
