package dev.ferry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.ferry.core.report.RunStatus;
import dev.ferry.sqlite.report.MigrationResult;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.SqliteFixture;
import org.junit.jupiter.api.Test;

/**
 * Rows only PostgreSQL can refuse (a value too large for the column's precision, a CHECK
 * constraint of an existing table): the batch is narrowed down to them, they are rejected
 * with PostgreSQL's reason, and every other row of the batch loads. A user cast rule
 * (from a mappings folder of this test's own) gives the column its precision.
 */
class SqliteNarrowingTest extends FerryTestSupport {

    private static final Path MAPPINGS;

    static {
        try {
            MAPPINGS = Files.createTempDirectory("ferry-mappings-");
            Files.writeString(MAPPINGS.resolve("sqlite-cast-rules.conf"), "# this test's rule\ncolumn narrow.amount => numeric(5,2)\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("ferry.mappings", MAPPINGS.toString(), "ferry.sqlite.batch-rows", "10", "ferry.sqlite.max-reject-ratio", "0.5");
    }

    private MigrationResult migrate(Path file, String schema) {
        return ferry.template().requestBodyAndHeaders("direct:sqlite-migrate", null,
                new HashMap<>(Map.of("FerrySqliteFile", file.toString(), "FerryTargetSchema", schema)), MigrationResult.class);
    }

    @Test
    void aValuePostgresqlRefusesInACopyRejectsOnlyItsRow() {
        Path file = SqliteFixture.create(work.resolve("narrow.db"),
                "CREATE TABLE narrow (id INTEGER PRIMARY KEY, amount REAL)",
                "INSERT INTO narrow VALUES (1, 1.5), (2, 12345.5), (3, 2.25), (4, 3), (5, 99999), (6, 4.75), (7, 5), (8, 6)");

        MigrationResult r = migrate(file, "n1");

        assertThat(r.getRun().getStatus()).as(r.getRun().summaryLine()).isEqualTo(RunStatus.COMPLETED_WITH_REJECTS);
        assertThat(db.text("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'n1.narrow'::regclass AND attname = 'amount'"))
                .isEqualTo("numeric(5,2)");
        assertThat(db.text("SELECT string_agg(id || '=' || amount, ',' ORDER BY id) FROM n1.narrow")).isEqualTo("1=1.50,3=2.25,4=3.00,6=4.75,7=5.00,8=6.00");
        assertThat(db.text("SELECT string_agg(source_key || ' ' || column_name || ': ' || reason, '; ' ORDER BY id) FROM ferry.sqlite_rejects WHERE run_id = "
                + r.getRun().getRunId())).startsWith("id=2 amount: numeric field overflow").contains("id=5 amount: numeric field overflow");
        assertThat(r.getValidation().isOk()).as("validation leaves the refused rows out").isTrue();
    }

    @Test
    void aRowAnExistingTablesConstraintRefusesIsRejectedAndTheRestMerges() {
        Path file = SqliteFixture.create(work.resolve("check.db"),
                "CREATE TABLE quotes (symbol TEXT PRIMARY KEY, price REAL)",
                "INSERT INTO quotes VALUES ('A', 1), ('B', -2), ('C', 3), ('D', 4), ('E', 0), ('F', 6), ('G', 7)");
        db.execute("CREATE SCHEMA n2; CREATE TABLE n2.quotes (symbol text PRIMARY KEY, price numeric CHECK (price > 0))");

        MigrationResult r = migrate(file, "n2");

        assertThat(db.text("SELECT string_agg(symbol, ',' ORDER BY symbol) FROM n2.quotes")).isEqualTo("A,C,D,F,G");
        assertThat(db.text("SELECT string_agg(source_key || ': ' || reason, '; ' ORDER BY source_key) FROM ferry.sqlite_rejects WHERE run_id = "
                + r.getRun().getRunId())).contains("symbol=B: new row for relation \"quotes\" violates check constraint", "symbol=E: new row");
        assertThat(r.getTables().get(0).loaded).isEqualTo(5);
        assertThat(r.getTables().get(0).rejected).isEqualTo(2);
    }
}
