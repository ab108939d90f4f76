package dev.ferry.bench.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;

import dev.ferry.demo.V2DatabaseGenerator;

/**
 * A v2 sync after the bot traded on: the full pass is done in {@link #prepare} (by Ferry, with the trial's
 * environment), then 2,000 changes in v2 (new trades, closes, stop moves, signals, deletes); {@code ferry v2 sync}
 * is hit by the fault, and run again after it.
 */
public final class V2SyncFlow extends V2Flows {

    private static final String STATE = "v2-sync-prepared.properties";

    @Override
    public String name() {
        return "v2 sync";
    }

    @Override
    public void prepare(Trial trial) throws Exception {
        createV2(trial);
        FlowSupport.ferryOk(trial, "prepare-full-pass", 600, command(trial, "migrate", "--create-v3"));
        long lastRun;
        try (Connection c = FlowSupport.connect(trial, trial.adminUrl())) {
            lastRun = FlowSupport.count(c, "SELECT coalesce(max(id), 0) FROM ferry.runs");
        }
        long changes;
        try (Connection c = FlowSupport.connect(trial, v2AdminUrl(trial))) {
            // a fixed seed: the clean trial and every faulty one sync the same changes
            Map<String, Long> made = V2DatabaseGenerator.mutate(c, 2_000, 42);
            changes = made.values().stream().mapToLong(Long::longValue).sum();
        }
        Files.writeString(state(trial), "run=" + lastRun + "\nchanges=" + changes + "\n");
    }

    private static Path state(Trial trial) {
        return trial.workDir().resolve(STATE);
    }

    @Override
    public List<String> start(Trial trial) {
        return command(trial, "sync");
    }

    /** The v2 rows the syncs wrote into the lineage, against the changes made (a new closed trade counts once, so capped at 1). */
    @Override
    public double progress(Trial trial) throws Exception {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(state(trial))) {
            p.load(in);
        }
        long changes = Long.parseLong(p.getProperty("changes"));
        return changes == 0 ? 1.0 : Math.min(1.0, (double) lineageRows(trial, Long.parseLong(p.getProperty("run"))) / changes);
    }
}
