package dev.ferry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.sqlite.report.MigrationResult;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.SqliteFixture;
import org.junit.jupiter.api.Test;

/**
 * SQLite names are data from the source, so every statement Ferry builds with them must quote
 * them: a table called {@code x"; drop table y; --}, columns with quotes, spaces, upper case and
 * non-ASCII letters, and a target schema with a quote in it land under exactly those names, through
 * the load, the indexes, the validation and the rollback, and nothing else in the database is touched.
 */
class HostileNamesTest extends FerryTestSupport {

    private static final String TABLE = "x\"; drop table y; --";
    private static final List<String> COLUMNS = List.of("id", "Weird \"Col\"", "with space", "UPPER", "ünïcödé", "semi;colon'quote");

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("ferry.sqlite.batch-rows", "2");
    }

    private static String q(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private Path hostileStore(String name) {
        return SqliteFixture.create(work.resolve(name),
                "CREATE TABLE " + q(TABLE) + " (id INTEGER PRIMARY KEY, " + q(COLUMNS.get(1)) + " TEXT NOT NULL, " + q(COLUMNS.get(2))
                        + " REAL, " + q(COLUMNS.get(3)) + " INTEGER, " + q(COLUMNS.get(4)) + " TEXT, " + q(COLUMNS.get(5)) + " TEXT, UNIQUE ("
                        + q(COLUMNS.get(1)) + ", " + q(COLUMNS.get(3)) + "))",
                "CREATE INDEX " + q("ix \"odd\"; --") + " ON " + q(TABLE) + " (" + q(COLUMNS.get(2)) + ")",
                "CREATE TABLE y (id INTEGER PRIMARY KEY, note TEXT)",
                "INSERT INTO y VALUES (1, 'from sqlite')",
                "INSERT INTO " + q(TABLE) + " VALUES (1, 'a''b\"c', 1.5, 10, 'é', 'x;--'), (2, 'two', NULL, 20, NULL, NULL),"
                        + " (3, 'three', 3.25, 30, 'ü', '''); DROP TABLE y; --'), (4, 'four', 4, 40, '', 'q')");
    }

    private MigrationResult migrate(Path file, String schema) {
        Map<String, Object> h = new HashMap<>(Map.of("FerrySqliteFile", file.toString(), "FerryTargetSchema", schema));
        return ferry.template().requestBodyAndHeaders("direct:sqlite-migrate", null, h, MigrationResult.class);
    }

    private List<String> columnsOf(String schema, String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    @Test
    void hostileTableAndColumnNamesLandAsTheyAreAndRollBackCleanly() throws Exception {
        db.execute("CREATE SCHEMA hostile; CREATE TABLE hostile.keep (id int); INSERT INTO hostile.keep VALUES (1)");

        MigrationResult r = migrate(hostileStore("hostile.db"), "hostile");

        assertThat(r.getRun().getStatus()).as(r.getRun().summaryLine()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.getRun().getMessage()).contains("source and target agree");
        assertThat(columnsOf("hostile", TABLE)).containsExactlyElementsOf(COLUMNS);
        String rows = "SELECT string_agg(concat_ws('|', id, " + q(COLUMNS.get(1)) + ", " + q(COLUMNS.get(5)) + "), ';' ORDER BY id) FROM hostile."
                + q(TABLE);
        assertThat(db.text(rows)).isEqualTo("1|a'b\"c|x;--;2|two;3|three|'); DROP TABLE y; --;4|four|q");
        assertThat(db.count("SELECT count(*) FROM hostile.y")).as("the SQLite table y, loaded as a table").isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM hostile.keep")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM pg_indexes WHERE schemaname = 'hostile' AND tablename = '" + TABLE.replace("'", "''") + "'"))
                .as("primary key, the unique pair and the index").isEqualTo(3);

        RunResult rb = ferry.template().requestBodyAndHeaders("direct:rollback-run", null, Map.of("FerryRunId", r.getRun().getRunId(),
                "FerryDryRun", false, "FerryForce", false, "FerryConfirm", "DELETE"), RunResult.class);

        assertThat(rb.getStatus()).as(rb.summaryLine()).isEqualTo(RunStatus.COMPLETED);
        assertThat(columnsOf("hostile", TABLE)).isEmpty();
        assertThat(columnsOf("hostile", "y")).isEmpty();
        assertThat(db.count("SELECT count(*) FROM hostile.keep")).isEqualTo(1);
    }

    @Test
    void aTargetSchemaWithAQuoteIsQuotedNotInterpreted() throws Exception {
        String schema = "odd\"schema; drop table hostile2.keep; --";
        db.execute("CREATE SCHEMA hostile2; CREATE TABLE hostile2.keep (id int); INSERT INTO hostile2.keep VALUES (1)");

        MigrationResult r = migrate(hostileStore("schema.db"), schema);

        assertThat(r.getRun().getStatus()).as(r.getRun().summaryLine()).isEqualTo(RunStatus.COMPLETED);
        assertThat(columnsOf(schema, TABLE)).hasSize(COLUMNS.size());
        assertThat(db.count("SELECT count(*) FROM " + q(schema) + "." + q(TABLE))).isEqualTo(4);
        assertThat(db.count("SELECT count(*) FROM hostile2.keep")).isEqualTo(1);
    }
}
