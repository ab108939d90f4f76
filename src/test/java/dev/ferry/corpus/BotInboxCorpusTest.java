package dev.ferry.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.report.ReportWriter;
import dev.ferry.support.FerryTestSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bot-file input of the malformed-input corpus (corpus/bot-manifest.tsv) dropped into the
 * watched inbox of a running Ferry, each followed by a valid file of the same user. Each must end
 * as the manifest says, with the file, record and field named; leave no run 'running' and no row of
 * a run that did not complete; still be in the inbox when its run ended; and not hold up the file
 * after it.
 */
class BotInboxCorpusTest extends FerryTestSupport {

    private static final AtomicInteger AFTER = new AtomicInteger();
    /** Whether each inbox file was still in the inbox at the moment its import had ended, by absolute path. */
    private final Map<String, Boolean> inInboxWhenRunEnded = new ConcurrentHashMap<>();

    @Override
    protected boolean watch() {
        return true;
    }

    static Stream<Corpus.Case> cases() {
        return Corpus.manifest("bot-manifest.tsv").stream();
    }

    @BeforeAll
    void watchRunEnds() throws Exception {
        ferry.context().getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeSentEvent sent && sent.getEndpoint().getEndpointUri().startsWith("direct://import-bot-file")) {
                    String file = sent.getExchange().getIn().getHeader("CamelFileAbsolutePath", String.class);
                    if (file != null) {
                        inInboxWhenRunEnded.put(file, Files.exists(Path.of(file), LinkOption.NOFOLLOW_LINKS));
                    }
                }
            }
        });
    }

    @AfterEach
    void nothingHalfLoaded() {
        assertThat(db.count("SELECT count(*) FROM ferry.runs WHERE status = 'running'")).as("runs left 'running'").isZero();
        assertThat(db.count("""
                SELECT (SELECT count(*) FROM trading.orders o JOIN ferry.runs r ON r.id = o.ferry_run_id WHERE r.status NOT IN ('completed', 'completed_with_rejects'))
                     + (SELECT count(*) FROM trading.fills f JOIN ferry.runs r ON r.id = f.ferry_run_id WHERE r.status NOT IN ('completed', 'completed_with_rejects'))
                     + (SELECT count(*) FROM ferry.rejects j JOIN ferry.runs r ON r.id = j.run_id WHERE r.status NOT IN ('completed', 'completed_with_rejects'))""")
        ).as("rows of runs that did not complete").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aMalformedInputEndsAsTheManifestSaysAndTheNextFileStillLoads(Corpus.Case c) throws Exception {
        Path target = work.resolve("inbox").resolve(c.dropAs());
        String name = target.getFileName().toString();
        String afterSymbol = "AFTER" + AFTER.incrementAndGet();
        String afterName = "trades_history-" + c.name() + "-after.json";
        Path afterTarget = work.resolve("inbox/user_1").resolve(afterName);
        Path outside = null;

        switch (c.input()) {
            case "gen:symlink-out" -> {
                outside = file("outside/" + c.name() + ".json", trade("OUTSIDE1"));
                Files.createDirectories(target.getParent());
                Files.createSymbolicLink(target, outside);
            }
            case "gen:grows-while-read" -> drop(target, trades(30_000, "G").getBytes(StandardCharsets.UTF_8), 10);
            default -> drop(target, c.generated() ? generate(c.input()) : Corpus.bytes(c.input()), 10);
        }
        if (c.input().equals("gen:grows-while-read")) {
            appendOnceItRuns(target, name);
        }
        drop(afterTarget, trade(afterSymbol).getBytes(StandardCharsets.UTF_8), 9);

        Corpus.awaitGone(target);
        Corpus.awaitGone(afterTarget);

        List<Map<String, Object>> runs = runsOf(name);
        if (c.input().equals("gen:grows-while-read")) {
            // the run that saw the file grow kept nothing; the next one, once the file was quiet, loaded it whole
            assertThat(runs).hasSize(2);
            assertThat(runs.get(0).get("status")).isEqualTo("failed");
            assertThat((String) runs.get(0).get("message")).contains(name + " was written to while it was read", "nothing was kept");
            runs = runs.subList(1, 2);
        } else {
            assertThat(runs).as("runs of %s", name).hasSize(1);
        }
        Map<String, Object> run = runs.get(0);
        long runId = ((Number) run.get("id")).longValue();
        String message = (String) run.get("message");
        assertThat(run.get("status")).as("status of %s (message: %s)", name, message).isEqualTo(c.status());
        assertThat(((Number) run.get("loaded")).longValue()).as("records loaded").isEqualTo(c.loaded());
        assertThat(((Number) run.get("records_read")).longValue()).as("read = loaded + duplicates + rejected")
                .isEqualTo(((Number) run.get("loaded")).longValue() + ((Number) run.get("duplicates")).longValue() + ((Number) run.get("rejected")).longValue());
        for (String fragment : c.message()) {
            assertThat(message).as("message of %s", name).contains(fragment);
        }
        assertThat(rejectsOf(runId)).as("rejected record_path:field").containsExactlyElementsOf(c.rejects());
        assertThat(db.count("SELECT count(*) FROM ferry.rejects WHERE run_id = " + runId + " AND source_file = '" + name + "' AND reason <> ''"))
                .as("every reject names its file and reason").isEqualTo(c.rejects().size());

        boolean accepted = c.status().startsWith("completed") || c.status().equals("duplicate_file");
        Path moved = work.resolve(accepted ? "done" : "error").resolve(c.dropAs());
        assertThat(Files.exists(moved, LinkOption.NOFOLLOW_LINKS)).as("%s moved to %s", name, moved).isTrue();
        if (!accepted) {
            JsonNode report = ReportWriter.JSON.readTree(Path.of(moved + ".error.json").toFile());
            assertThat(report.get("sourceFile").asText()).isEqualTo(name);
            assertThat(report.get("message").asText()).isEqualTo(message).doesNotContain("Exception:");
        } else {
            JsonNode report = ReportWriter.JSON.readTree(work.resolve("reports/run-" + runId + ".json").toFile());
            assertThat(report.get("rejects")).hasSize(c.rejects().size());
        }
        assertThat(inInboxWhenRunEnded.get(target.toString())).as("%s still in the inbox when its run ended", name).isTrue();
        if (outside != null) {
            assertThat(outside).as("the link's target is left where it is").hasContent(trade("OUTSIDE1"));
            assertThat(db.count("SELECT count(*) FROM trading.orders WHERE symbol = 'OUTSIDE1'")).isZero();
        }

        assertThat(runsOf(afterName)).extracting(r -> r.get("status")).as("the file dropped after it").containsExactly("completed");
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE symbol = '" + afterSymbol + "'")).isEqualTo(1);
        assertThat(work.resolve("done/user_1").resolve(afterName)).exists();
    }


    private void drop(Path target, byte[] content, int secondsAgo) throws IOException {
        Corpus.moveIn(work.resolve("staging"), content, target, secondsAgo);
    }

    /** Appends to the file the moment its run has started reading it, as a bot that writes again would. */
    private void appendOnceItRuns(Path target, String name) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (db.count("SELECT count(*) FROM ferry.runs WHERE status = 'running' AND source_file = '" + name + "'") == 0) {
            assertThat(System.nanoTime()).as("the run of %s started", name).isLessThan(until);
            Thread.sleep(5);
        }
        Files.writeString(target, "\n", StandardOpenOption.APPEND);
    }


    private List<Map<String, Object>> runsOf(String sourceFile) throws Exception {
        try (var c = db.connect(); var ps = c.prepareStatement(
                "SELECT id, status, message, records_read, loaded, duplicates, rejected FROM ferry.runs WHERE source_file = ? ORDER BY id")) {
            ps.setString(1, sourceFile);
            var out = new java.util.ArrayList<Map<String, Object>>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    var row = new java.util.HashMap<String, Object>();
                    for (String col : new String[] {"id", "status", "message", "records_read", "loaded", "duplicates", "rejected"}) {
                        row.put(col, rs.getObject(col));
                    }
                    out.add(row);
                }
            }
            return out;
        }
    }

    private List<String> rejectsOf(long runId) throws Exception {
        try (var c = db.connect(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT record_path || ':' || coalesce(field, '') FROM ferry.rejects WHERE run_id = " + runId + " ORDER BY record_no")) {
            var out = new java.util.ArrayList<String>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    private static String trade(String symbol) {
        return "{\"trades\": [{\"symbol\": \"" + symbol + "\", \"entry_price\": 100, \"qty\": 1, \"entry_time\": \"2025-10-27T09:15:00\", \"status\": \"open\"}]}";
    }

    /** n distinct open trades, one per line. */
    private static String trades(int n, String prefix) {
        StringBuilder s = new StringBuilder("{\"trades\": [\n");
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",\n").append("{\"symbol\": \"").append(prefix).append(i)
                    .append("\", \"entry_price\": 100, \"qty\": 1, \"entry_time\": \"2025-10-27T09:15:00\", \"status\": \"open\"}");
        }
        return s.append("\n]}").toString();
    }

    /** The inputs too big to check in, built as the manifest names them. */
    private static byte[] generate(String input) {
        String head = "{\"trades\": [{\"symbol\": \"TCS-EQ\", \"qty\": 1, \"entry_time\": \"2025-10-27T09:15:00\", ";
        String s = switch (input) {
            case "gen:digits-2000" -> head + "\"entry_price\": 1" + "0".repeat(1999) + "}]}";
            case "gen:nested-in-record-100000" -> head + "\"entry_price\": 1, \"note\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}]}";
            case "gen:nested-top-100000" -> "[".repeat(100_000) + "]".repeat(100_000);
            // one line of 9 MB: a record over the 8 MB bound (ferry.batch.max-record-bytes), as one value and as many
            case "gen:one-string-9mb" -> head + "\"entry_price\": 1, \"note\": \"" + "x".repeat(9 << 20) + "\"}]}";
            case "gen:many-fields-9mb" -> {
                StringBuilder b = new StringBuilder(head).append("\"entry_price\": 1");
                for (int i = 0; b.length() < (9 << 20); i++) {
                    b.append(", \"f").append(i).append("\": ").append(i);
                }
                yield b.append("}]}").toString();
            }
            case "gen:one-line-20000-trades" -> trades(20_000, "L").replace("\n", "");
            default -> throw new IllegalArgumentException("no generator for " + input);
        };
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
