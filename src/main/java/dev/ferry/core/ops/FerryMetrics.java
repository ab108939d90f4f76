package dev.ferry.core.ops;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.ferry.core.report.RunResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Ferry's own meters, next to Camel's in the same Micrometer registry (Prometheus at
 * /observe/metrics): rows written per trading table, source records loaded, rejected and
 * skipped as duplicates, and run durations, tagged by flow. The import route calls {@link #runFinished} once per run.
 * Dry runs count in the timer only: they leave no rows behind.
 */
public final class FerryMetrics {

    private final Supplier<MeterRegistry> lookup;
    private volatile MeterRegistry registry;
    private final Map<String, AtomicReference<Double>> gauges = new ConcurrentHashMap<>();

    /** The registry is looked up at the first run: Camel binds it while it starts, after Ferry's beans. */
    public FerryMetrics(Supplier<MeterRegistry> lookup) {
        this.lookup = lookup;
    }

    private MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            r = lookup.get();
            registry = r;
        }
        return r;
    }

    /** Records a finished run and hands it on unchanged, so it can sit as a route step. */
    public RunResult runFinished(RunResult r) {
        if (r == null) {
            return null;
        }
        String flow = r.getFlow() == null ? "unknown" : r.getFlow();
        Timer.builder("ferry.run.duration").description("How long an import run took, from start to its end state")
                .tag("flow", flow).tag("status", r.getStatus().dbValue()).tag("dry_run", Boolean.toString(r.isDryRun()))
                .register(registry()).record(Duration.ofMillis(r.getDurationMillis()));
        if (!r.isDryRun()) {
            count("ferry.records.loaded", "Source records loaded", flow, null, r.getLoaded());
            count("ferry.records.rejected", "Source records rejected and kept in ferry.rejects", flow, null, r.getRejected());
            count("ferry.records.duplicates", "Source records skipped as duplicates of earlier ones", flow, null, r.getDuplicates());
            count("ferry.rows.loaded", "Rows written to the trading tables", flow, "orders", r.getOrders());
            count("ferry.rows.loaded", "Rows written to the trading tables", flow, "fills", r.getFills());
            count("ferry.rows.loaded", "Rows written to the trading tables", flow, "positions", r.getPositions());
        }
        return r;
    }

    /**
     * Sets a gauge to a value (registered at its first use, then updated in place): what a check found
     * last time, e.g. a project's schema drift, for an alert rule.
     */
    public void gauge(String name, String description, Map<String, String> tags, double value) {
        String key = name + tags;
        AtomicReference<Double> holder = gauges.computeIfAbsent(key, k -> {
            AtomicReference<Double> h = new AtomicReference<>(0.0);
            Gauge.Builder<AtomicReference<Double>> b = Gauge.builder(name, h, AtomicReference::get).description(description);
            tags.forEach(b::tag);
            b.register(registry());
            return h;
        });
        holder.set(value);
    }

    private void count(String name, String description, String flow, String table, long amount) {
        Counter.Builder b = Counter.builder(name).description(description).tag("flow", flow);
        if (table != null) {
            b.tag("table", table);
        }
        // registered even at zero, so a dashboard shows the series from the first run on
        Counter c = b.register(registry());
        if (amount > 0) {
            c.increment(amount);
        }
    }
}
