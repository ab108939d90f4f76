package dev.ferry.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.core.report.ReportWriter;
import dev.ferry.core.report.RunResult;
import dev.ferry.demo.DashboardDatabaseGenerator;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.Fixtures;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request file of the malformed-input corpus (corpus/request-manifest.tsv) dropped into
 * inbox/rollback/ or inbox/portfolio/ of a running Ferry, each followed by a valid request: each
 * is refused with its file and field named and moved to the error folder with its report, nothing
 * is rolled back or migrated, and the valid request after it is still carried out.
 */
class RequestCorpusTest extends FerryTestSupport {

    private static final AtomicInteger AFTER = new AtomicInteger();
    private TestDatabase dash;
    private RunResult loaded;
    private String digest;

    @Override
    protected boolean watch() {
        return true;
    }

    @Override
    protected Map<String, String> extraSettings() {
        dash = new TestDatabase(getClass(), "dash");
        return Map.of("ferry.portfolio.url", dash.url());
    }

    static Stream<Corpus.Case> cases() {
        return Corpus.manifest("request-manifest.tsv").stream();
    }

    @BeforeAll
    void aRunAndADashboard() throws Exception {
        try (Connection c = dash.connect()) {
            new DashboardDatabaseGenerator().signals(200).prices(500).create(c);
        }
        loaded = importTrades(file("t/trades_history.json", Fixtures.formatsExample()), 1, false);
        digest = db.contentDigest();
    }

    @AfterAll
    void dropDashboard() {
        if (dash != null) {
            dash.close();
        }
    }

    @AfterEach
    void nothingWasRolledBackOrMigrated() {
        assertThat(db.contentDigest()).as("the loaded run's rows").isEqualTo(digest);
        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + loaded.getRunId())).isEqualTo("completed");
        assertThat(dash.text("SELECT to_regclass('public.portfolios')")).as("the dashboard is still 1.0").isNull();
        assertThat(db.count("SELECT count(*) FROM ferry.runs WHERE status = 'running'")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aMalformedRequestIsRefusedWithItsFieldNamedAndTheNextRequestIsStillHandled(Corpus.Case c) throws Exception {
        Path target = work.resolve("inbox").resolve(c.dropAs());
        String name = target.getFileName().toString();
        byte[] bytes = Corpus.bytes(c.input());
        String asText = new String(bytes, StandardCharsets.ISO_8859_1);
        if (asText.contains("$RUN")) {
            bytes = asText.replace("$RUN", String.valueOf(loaded.getRunId())).getBytes(StandardCharsets.ISO_8859_1);
        }
        if (c.name().equals("rb-utf16le")) {
            bytes = Corpus.bytes(c.input());
            String decoded = new String(bytes, StandardCharsets.UTF_16LE).substring(1).replace("$RUN", String.valueOf(loaded.getRunId()));
            bytes = ("\uFEFF" + decoded).getBytes(StandardCharsets.UTF_16LE);
        }
        int n = AFTER.incrementAndGet();
        boolean rollback = c.flow().equals("rollback");
        String afterName = "after-" + n + ".json";
        // a dry run of the same run, and a check: both carried out, neither changes anything
        String after = rollback ? "{\"run\": " + loaded.getRunId() + ", \"dry_run\": true, \"confirm\": \"DELETE\"}" : "{\"command\": \"check\", \"dry_run\": true}";
        Path afterTarget = target.resolveSibling(afterName);

        Corpus.moveIn(work.resolve("staging"), bytes, target, 10);
        Corpus.moveIn(work.resolve("staging"), after.getBytes(StandardCharsets.UTF_8), afterTarget, 9);
        Corpus.awaitGone(target);
        Corpus.awaitGone(afterTarget);

        Path moved = work.resolve("error").resolve(c.dropAs());
        assertThat(moved).as("%s moved to the error folder", name).exists();
        JsonNode report = ReportWriter.JSON.readTree(Path.of(moved + (rollback ? ".error.json" : ".report.json")).toFile());
        assertThat(report.get("status").asText()).isEqualTo(c.status());
        String said = String.join(" ", texts(report));
        for (String fragment : c.message()) {
            assertThat(said).as("report of %s", name).contains(fragment);
        }
        assertThat(said).doesNotContain("Exception:");
        assertThat(work.resolve("done").resolve(c.dropAs()).resolveSibling(afterName)).as("the request dropped after it").exists();
    }

    @Test
    void aSchemaFolderHoldingASymbolicLinkIsRefusedWithoutRunningWhatItLeadsTo() throws Exception {
        Path outside = file("outside/up.sql", "CREATE TABLE leaked_by_link (id int);");
        Path drop = work.resolve("inbox/schema/.incoming-linked");
        Path v1 = Files.createDirectories(drop.resolve("1.0.0__linked"));
        Files.createSymbolicLink(v1.resolve("up.sql"), outside);
        Files.writeString(v1.resolve("down.sql"), "DROP TABLE leaked_by_link;");
        Files.writeString(v1.resolve("verify.sql"), "SELECT to_regclass('leaked_by_link') IS NOT NULL;");
        Files.move(drop, work.resolve("inbox/schema/linked-project"));

        Path refused = work.resolve("error/schema/linked-project");
        Corpus.awaitGone(work.resolve("inbox/schema/linked-project"));
        assertThat(refused).isDirectory();
        String said = String.join(" ", texts(ReportWriter.JSON.readTree(work.resolve("error/schema/linked-project.schema-check-dry-run.json").toFile())));
        assertThat(said).contains("linked-project/1.0.0__linked/up.sql is a symbolic link", "refused, nothing was run");
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE tablename = 'leaked_by_link'")).isZero();
        assertThat(outside).exists();
    }

    private static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isTextual()) {
            out.add(n.asText());
        }
        n.forEach(child -> out.addAll(texts(child)));
        return out;
    }


}
