package dev.ferry.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import dev.ferry.demo.V2DatabaseGenerator;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.TestDatabase;
import dev.ferry.v2.report.V2Result;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every v2 source of the malformed-input corpus (corpus/v2-manifest.tsv): a generated v2 database
 * damaged as the manifest says, migrated through direct:v2-migrate (ferry v2 migrate) into a
 * fresh v3. Each ends as the manifest says with the table and column named; no run is left
 * 'running', and a run that did not complete wrote nothing into v3.
 */
class V2SourceCorpusTest extends FerryTestSupport {

    static Stream<Corpus.Case> cases() {
        return Corpus.manifest("v2-manifest.tsv").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aDamagedV2SourceEndsAsTheManifestSays(Corpus.Case c) throws Exception {
        // short: PostgreSQL cuts names at 63 bytes, and a long case name would give v2 and v3 one database
        String suffix = "c" + Integer.toHexString(c.name().hashCode());
        try (TestDatabase v2 = new TestDatabase(getClass(), suffix + "_v2"); TestDatabase v3 = new TestDatabase(getClass(), suffix + "_v3")) {
            try (Connection conn = v2.connect(); Statement st = conn.createStatement()) {
                V2DatabaseGenerator.small().quirks(false).create(conn);
                for (String sql : c.input().split(";")) {
                    st.execute(sql);
                }
            }
            Map<String, Object> h = new HashMap<>(Map.of("FerryV2Source", v2.url(), "FerryV2Target", v3.url(), "FerryV2CreateV3", true));
            V2Result r = ferry.template().requestBodyAndHeaders("direct:v2-migrate", null, h, V2Result.class);

            assertThat(r.getStatus()).as("%s (message: %s)", c.name(), r.getMessage()).hasToString(c.status());
            for (String fragment : c.message()) {
                assertThat(r.getMessage()).contains(fragment);
            }
            assertThat(String.valueOf(r.getMessage())).doesNotContain("Exception:").doesNotContain("cannot be cast");
            assertThat(r.getRejects().stream().map(p -> p.table() + ":" + p.column()).distinct().toList()).as("rejected table:column")
                    .containsExactlyElementsOf(c.rejects());
            assertThat(r.getRejects()).allSatisfy(p -> assertThat(p.reason()).isNotBlank());
            assertThat(r.getTables().values().stream().mapToLong(V2Result.TableCounts::getLoaded).sum()).as("rows loaded").isEqualTo(c.loaded());
            assertThat(db.count("SELECT count(*) FROM ferry.runs WHERE status = 'running'")).as("runs left 'running'").isZero();
            if (!c.status().startsWith("OK")) {
                assertThat(v3.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('orders', 'trades', 'signals')")
                        == 0 || v3.count("SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM trades) + (SELECT count(*) FROM signals)") == 0)
                        .as("nothing written into v3").isTrue();
            }
        }
    }
}
