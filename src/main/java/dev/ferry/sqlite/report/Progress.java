package dev.ferry.sqlite.report;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.ferry.sqlite.convert.TablePlan;
import dev.ferry.sqlite.write.TableLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of the tables being loaded: on a terminal one line of bars, redrawn in
 * place (rows, rows/s, ETA per table); otherwise a log line every N rows per table.
 */
public final class Progress implements TableLoader.Progress {

    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private final boolean terminal;
    private final long every;
    private final PrintStream out;
    private final Map<String, long[]> tables = new LinkedHashMap<>();
    private final long started = System.nanoTime();

    public Progress(boolean terminal, long every, PrintStream out) {
        this.terminal = terminal;
        this.every = every;
        this.out = out;
    }

    /** A table starts loading: its rate and ETA are measured from here. */
    public synchronized void started(TablePlan table) {
        tables.put(table.label(), new long[] {System.nanoTime(), 0});
    }

    @Override
    public synchronized void rows(TablePlan table, long done, long total) {
        long[] s = tables.computeIfAbsent(table.label(), k -> new long[] {System.nanoTime(), 0});
        double secs = Math.max(1e-3, (System.nanoTime() - s[0]) / 1e9);
        double rate = done / secs;
        if (terminal) {
            s[1] = done;
            StringBuilder sb = new StringBuilder("\r");
            String bar = bar(done, total);
            sb.append(String.format("%-20s %s %,d/%,d %,.0f rows/s ETA %s", abbreviate(table.label()), bar, done, total, rate,
                    rate > 0 ? Math.round(Math.max(0, total - done) / rate) + "s" : "?"));
            out.print(sb.append("\u001b[K"));
            if (done >= total) {
                out.println();
            }
            out.flush();
        } else if (done / every > s[1] / every || done >= total) {
            s[1] = done;
            LOG.info("{}: {} of {} rows read ({} rows/s)", table.label(), done, total, Math.round(rate));
        }
    }

    private static String bar(long done, long total) {
        int width = 20;
        int filled = total <= 0 ? width : (int) Math.min(width, done * width / total);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    private static String abbreviate(String s) {
        return s.length() <= 20 ? s : s.substring(0, 19) + "…";
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
