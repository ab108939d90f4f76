package dev.ferry.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.ferry.core.schema.project.SchemaProject;
import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Ferry's own bookkeeping as the built-in project: migrate, undo down to nothing and back, round trip, and adoption of a Flyway-era database. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FerrySchemaTest {

    private TestDatabase db;
    private SchemaEngine engine;
    private final SchemaProject ferry = FerrySchema.project();

    @BeforeAll
    void createDatabase() {
        db = new TestDatabase(getClass());
        engine = new SchemaEngine(new SchemaTarget(db.url(), TestDatabase.USER, null), Duration.ofSeconds(30)).withBaseline(FerrySchema.flywayHistory());
    }

    @AfterAll
    void dropDatabase() {
        db.close();
    }

    @Test
    void undoToNothingAndMigrateBack() {
        assertThat(engine.migrate(ferry, null, false, false).getCurrentVersion()).isEqualTo("12");
        assertThat(engine.verify(ferry).getStatus()).isEqualTo(SchemaResult.Status.OK);

        assertThat(engine.undo(ferry, "5", false, false).getVersions()).extracting(SchemaResult.VersionLine::version).containsExactly("12", "11", "10");
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'ferry' AND table_name LIKE 'sqlite%'")).isZero();
        assertThat(engine.undo(ferry, "1", false, false).getVersions()).extracting(SchemaResult.VersionLine::version)
                .containsExactly("5", "4", "3", "2");
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'ferry' AND table_name = 'runs'")).isZero();
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'trading'")).isEqualTo(4);
        assertThat(engine.undo(ferry, "0", false, false).getCurrentVersion()).isNull();
        assertThat(db.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'trading'")).isZero();

        SchemaResult back = engine.migrate(ferry, null, false, false);
        assertThat(back.getErrors()).isEmpty();
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema IN ('trading', 'ferry')")).isEqualTo(13);
        assertThat(engine.diff(ferry).getDifferences()).isEmpty();
    }

    @Test
    void everyBuiltInDownUndoesItsUp() {
        SchemaResult r = engine.test(ferry);
        assertThat(r.getErrors()).isEmpty();
        assertThat(r.getVersions()).extracting(SchemaResult.VersionLine::outcome).containsOnly("passed").hasSize(8);
    }

    @Test
    void version12RefusesADedupKeyThatNamesAnotherUsersRunAndChangesNothing() {
        assertThat(engine.migrate(ferry, null, false, false).getErrors()).isEmpty();
        assertThat(engine.undo(ferry, "11", false, false).getErrors()).isEmpty();
        db.execute("INSERT INTO trading.users (id, name) VALUES (71, 'a'), (72, 'b') ON CONFLICT DO NOTHING");
        long run = db.count("INSERT INTO ferry.runs (flow, user_id, status) VALUES ('trades_history', 72, 'completed') RETURNING id");
        // after 12 a rollback finds a run's keys by the run's user: this one would stay behind, and its record never load again
        db.execute("INSERT INTO ferry.record_keys (user_id, kind, key, run_id, record_no) VALUES (71, 'trade', 'TCS|k', " + run + ", 1)");

        SchemaResult refused = engine.migrate(ferry, null, false, false);
        assertThat(refused.getErrors()).anySatisfy(e -> assertThat(e).contains("trade|TCS|k").contains("user 71").contains("run " + run));
        assertThat(refused.getCurrentVersion()).isEqualTo("11");
        assertThat(db.count("SELECT count(*) FROM pg_constraint WHERE conname = 'record_keys_pkey'")).isEqualTo(1);

        db.execute("DELETE FROM ferry.record_keys WHERE run_id = " + run);
        db.execute("DELETE FROM ferry.runs WHERE id = " + run);
        SchemaResult upgraded = engine.migrate(ferry, null, false, false);
        assertThat(upgraded.getErrors()).isEmpty();
        assertThat(upgraded.getCurrentVersion()).isEqualTo("12");
        assertThat(db.count("SELECT count(*) FROM pg_constraint WHERE conname = 'record_keys_pkey'")).isZero();
    }

    @Test
    void aDatabaseAnOlderFerrySetUpWithFlywayIsAdoptedWithoutRunningAnything() {
        assertThat(engine.migrate(ferry, null, false, false).getErrors()).isEmpty();
        db.execute("INSERT INTO trading.users (id, email, name) VALUES (7, 'seven@example.com', 'Seven') ON CONFLICT DO NOTHING");
        // what an older Ferry (Flyway, up to 10) left: none of 11's and 12's objects, none of Ferry's own history
        assertThat(engine.undo(ferry, "10", false, false).getErrors()).isEmpty();
        db.execute("DROP SCHEMA ferry_schema CASCADE");
        db.execute("CREATE TABLE ferry.flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), description varchar(200), "
                + "success boolean NOT NULL)");
        db.execute("INSERT INTO ferry.flyway_schema_history VALUES (1, '1', 'trading schema', true), (2, '2', 'bookkeeping', true), "
                + "(3, '3', 'position changes', true), (4, '4', 'rollback status', true), (5, '5', 'fill lineage', true), (6, '10', 'sqlite', true)");
        SchemaResult r = engine.migrate(ferry, null, false, false);
        assertThat(r.getErrors()).isEmpty();
        assertThat(r.getNotes()).anySatisfy(n -> assertThat(n).contains("baselined ferry at 10").contains("Flyway"));
        // what the older Ferry had is adopted as it is; only the version it did not know runs
        assertThat(r.getCurrentVersion()).isEqualTo("12");
        assertThat(db.text("SELECT string_agg(version, ',' ORDER BY version::int) FROM ferry_schema.history WHERE operation = 'up'")).isEqualTo("11,12");
        assertThat(db.count("SELECT count(*) FROM ferry_schema.history WHERE operation = 'baseline'")).isEqualTo(6);
        assertThat(db.count("SELECT count(*) FROM trading.users WHERE id = 7")).isEqualTo(1);
        db.execute("DROP TABLE ferry.flyway_schema_history");
    }
}
