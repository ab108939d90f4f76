package dev.ferry.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.support.FerryTestSupport;
import org.junit.jupiter.api.Test;

/** Flyway migrates at start; Ferry's own undo scripts take every version back out, and migrate brings it back. */
class SchemaUndoTest extends FerryTestSupport {

    @Test
    void undoToZeroRemovesEverythingAndMigrateRestoresIt() {
        Database database = ferry.context().getRegistry().lookupByNameAndType("database", Database.class);
        SchemaMigrator migrator = new SchemaMigrator(database.dataSource());
        assertThat(migrator.info()).extracting(SchemaMigrator.SchemaVersion::version, SchemaMigrator.SchemaVersion::state,
                SchemaMigrator.SchemaVersion::undoable).containsExactly(
                org.assertj.core.groups.Tuple.tuple("1", "Success", true), org.assertj.core.groups.Tuple.tuple("2", "Success", true),
                org.assertj.core.groups.Tuple.tuple("3", "Success", true), org.assertj.core.groups.Tuple.tuple("4", "Success", true),
                org.assertj.core.groups.Tuple.tuple("5", "Success", true), org.assertj.core.groups.Tuple.tuple("10", "Success", true));

        assertThat(migrator.undoTo(5)).containsExactly("10");
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'ferry' AND table_name LIKE 'sqlite%'")).isZero();
        assertThat(migrator.undoTo(1)).containsExactly("5", "4", "3", "2");
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'ferry' AND table_name = 'runs'")).isZero();
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'trading'")).isEqualTo(4);

        assertThat(migrator.undoTo(0)).containsExactly("1");
        assertThat(db.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'trading'")).isZero();
        assertThat(db.count("SELECT count(*) FROM ferry.flyway_schema_history WHERE version IS NOT NULL")).isZero();
        assertThat(migrator.undoTo(0)).isEmpty();

        migrator.migrate();
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema IN ('trading', 'ferry')")).isEqualTo(14);
        assertThat(migrator.info()).allSatisfy(v -> assertThat(v.state()).isEqualTo("Success"));
    }
}
