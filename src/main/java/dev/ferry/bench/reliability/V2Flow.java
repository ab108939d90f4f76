package dev.ferry.bench.reliability;

import java.util.List;

/**
 * The v2 → v3 full pass: {@code ferry v2 migrate --create-v3} into an empty v3 (the trial's database), hit by the
 * fault; after it a user runs {@code ferry v2 migrate} again, which skips the pages committed before and loads the rest.
 */
public final class V2Flow extends V2Flows {

    @Override
    public String name() {
        return "v2 migrate (full pass)";
    }

    @Override
    public void prepare(Trial trial) throws Exception {
        createV2(trial);
    }

    @Override
    public List<String> start(Trial trial) {
        return command(trial, "migrate", "--create-v3");
    }

    @Override
    public double progress(Trial trial) throws Exception {
        return Math.min(1.0, (double) lineageRows(trial, 0) / v2Rows(trial));
    }
}
