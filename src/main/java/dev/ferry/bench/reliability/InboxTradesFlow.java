package dev.ferry.bench.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import dev.ferry.demo.TradesHistoryGenerator;

/**
 * A trades_history file through the inbox: the service ({@code ferry serve}) takes
 * {@code inbox/user_1/trades_history.json} and loads it in one transaction; after a fault the service is
 * started again and must load the file exactly once, and move it to done only after its run ended.
 */
public final class InboxTradesFlow implements ReliabilityFlow {

    /** About 3 s of loading on a quiet machine: long enough for every fault to land mid-file. */
    static final int TRADES = 30_000;

    @Override
    public String name() {
        return "inbox trades-history";
    }

    @Override
    public void prepare(Trial trial) throws Exception {
        BotTarget.prepare(trial);
        // the same bytes in every trial (a fixed seed), written beside the inbox and moved in whole
        Path file = new TradesHistoryGenerator().trades(TRADES).seed(13).write(trial.workDir().resolve("files/trades_history.json"));
        Path inbox = trial.workDir().resolve("inbox/user_1/trades_history.json");
        Files.createDirectories(inbox.getParent());
        Files.move(file, inbox, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public List<String> start(Trial trial) {
        return List.of("serve");
    }

    @Override
    public List<String> recover(Trial trial) {
        return List.of("serve");
    }

    @Override
    public boolean service() {
        return true;
    }

    /** The file has left the inbox for done or error; Ferry moves it only once its run has ended. */
    @Override
    public boolean done(Trial trial) throws Exception {
        Path inbox = trial.workDir().resolve("inbox/user_1/trades_history.json");
        return !Files.exists(inbox) && (holds(trial.workDir().resolve("done/user_1")) || holds(trial.workDir().resolve("error/user_1")));
    }

    private static boolean holds(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("trades_history") && p.getFileName().toString().endsWith(".json"));
        }
    }

    @Override
    public double progress(Trial trial) throws Exception {
        return done(trial) ? 1 : BotTarget.recordsRead(trial) / (double) TRADES;
    }

    @Override
    public Outcome outcome(Trial trial) throws Exception {
        return BotTarget.outcome(trial);
    }
}
