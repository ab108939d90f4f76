package dev.ferry.core.schema.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading project folders: order, checksums, and every bad folder refused with the file it is about. */
class SchemaProjectTest {

    @TempDir
    Path dir;

    private void version(String folder, String up, String down, String verify) throws IOException {
        Path f = Files.createDirectories(dir.resolve(folder));
        if (up != null) {
            Files.writeString(f.resolve("up.sql"), up);
        }
        if (down != null) {
            Files.writeString(f.resolve("down.sql"), down);
        }
        if (verify != null) {
            Files.writeString(f.resolve("verify.sql"), verify);
        }
    }

    @Test
    void versionsAreInSemanticOrderAndOtherFilesAreIgnored() throws IOException {
        for (String v : new String[] {"1.10.0__ten", "1.9.0__nine", "2__two", "1.0.0__base"}) {
            version(v, "SELECT 1;", "SELECT 1;", "SELECT true;");
        }
        Files.writeString(dir.resolve("README.md"), "notes");
        Files.createDirectories(dir.resolve(".git"));
        SchemaProject p = SchemaProject.load(dir);
        assertThat(p.versions()).extracting(v -> v.version().toString()).containsExactly("1.0.0", "1.9.0", "1.10.0", "2");
        assertThat(p.latest().orElseThrow().description()).isEqualTo("two");
        assertThat(p.find(Version.parse("1.9")).orElseThrow().folder()).isEqualTo("1.9.0__nine");
    }

    @Test
    void checksumFollowsWhatIsAppliedOnly() throws IOException {
        version("1.0.0__t", "CREATE TABLE t (id int);", "DROP TABLE t;", "SELECT true;");
        String before = SchemaProject.load(dir).versions().get(0).checksum();
        Files.writeString(dir.resolve("1.0.0__t/down.sql"), "DROP TABLE IF EXISTS t;");
        Files.writeString(dir.resolve("1.0.0__t/verify.sql"), "SELECT 1;");
        assertThat(SchemaProject.load(dir).versions().get(0).checksum()).isEqualTo(before);
        Files.writeString(dir.resolve("1.0.0__t/backfill.properties"), "table=t\nkey=id\nset=id = id\n");
        String withBackfill = SchemaProject.load(dir).versions().get(0).checksum();
        assertThat(withBackfill).isNotEqualTo(before);
        Files.writeString(dir.resolve("1.0.0__t/up.sql"), "CREATE TABLE t (id bigint);");
        assertThat(SchemaProject.load(dir).versions().get(0).checksum()).isNotEqualTo(withBackfill);
    }

    @Test
    void aVersionWithoutItsThreeFilesIsRefused() throws IOException {
        version("1.0.0__t", "SELECT 1;", null, "SELECT true;");
        assertThatThrownBy(() -> SchemaProject.load(dir)).isInstanceOf(ProjectException.class)
                .hasMessageContaining("1.0.0__t").hasMessageContaining("has no down.sql");
    }

    @Test
    void aMalformedFolderNameIsRefused() throws IOException {
        version("v1.0-initial", "SELECT 1;", "SELECT 1;", "SELECT true;");
        assertThatThrownBy(() -> SchemaProject.load(dir)).isInstanceOf(ProjectException.class)
                .hasMessageContaining("v1.0-initial").hasMessageContaining("<version>__<description>");
    }

    @Test
    void twoFoldersWithOneVersionAreRefusedNamingBoth() throws IOException {
        version("1.0__a", "SELECT 1;", "SELECT 1;", "SELECT true;");
        version("1.0.0__b", "SELECT 1;", "SELECT 1;", "SELECT true;");
        assertThatThrownBy(() -> SchemaProject.load(dir)).isInstanceOf(ProjectException.class)
                .hasMessageContaining("1.0__a").hasMessageContaining("1.0.0__b");
    }

    @Test
    void anEmptyDownWithoutIrreversibleIsRefused() throws IOException {
        version("1.0.0__t", "CREATE TABLE t (id int);", "-- nothing yet\n", "SELECT true;");
        assertThatThrownBy(() -> SchemaProject.load(dir)).isInstanceOf(ProjectException.class)
                .hasMessageStartingWith("1.0.0__t/down.sql: is empty").hasMessageContaining("-- irreversible: <why>");
        Files.writeString(dir.resolve("1.0.0__t/down.sql"), "-- irreversible: data is dropped\n");
        assertThat(SchemaProject.load(dir).versions().get(0).down().irreversibleReason()).isEqualTo("data is dropped");
    }

    @Test
    void aBackfillWithoutItsKeyIsRefused() throws IOException {
        version("1.0.0__t", "CREATE TABLE t (id int);", "DROP TABLE t;", "SELECT true;");
        Files.writeString(dir.resolve("1.0.0__t/backfill.properties"), "table=t\nset=id = 1\n");
        assertThatThrownBy(() -> SchemaProject.load(dir)).isInstanceOf(ProjectException.class)
                .hasMessageStartingWith("1.0.0__t/backfill.properties: needs key=");
        Files.writeString(dir.resolve("1.0.0__t/backfill.properties"), "table=t\nkey=id\nset=id = 1\nwere=id > 5\n");
        assertThatThrownBy(() -> SchemaProject.load(dir)).isInstanceOf(ProjectException.class)
                .hasMessageStartingWith("1.0.0__t/backfill.properties: unknown key were");
    }

    @Test
    void bundledProjectsLoad() {
        SchemaProject ferry = SchemaProject.classpath("ferry", "schema/ferry");
        assertThat(ferry.versions()).extracting(v -> v.version().toString()).containsExactly("1", "2", "3", "4", "5", "10", "11", "12");
        SchemaProject ts = SchemaProject.load(Path.of("config/schema/trading-system"));
        assertThat(ts.name()).isEqualTo("trading-system");
        assertThat(ts.versions()).extracting(v -> v.version().toString()).containsExactly("1.0.0", "1.1.0");
        Backfill b = ts.versions().get(1).backfill();
        assertThat(b).isEqualTo(new Backfill("1.1.0__adjusted_close/backfill.properties", "prices", "id", "adjusted_close = close",
                "adjusted_close IS NULL AND close IS NOT NULL", 10_000));
    }

    @Test
    void scaffoldMakesTheNextMinorVersion() throws IOException {
        version("1.1.0__t", "SELECT 1;", "SELECT 1;", "SELECT true;");
        Path made = Scaffold.newVersion(dir, "Add volume-index", null);
        assertThat(made.getFileName().toString()).isEqualTo("1.2.0__add_volume_index");
        assertThat(made.resolve("up.sql")).exists();
        assertThat(made.resolve("down.sql")).exists();
        assertThat(made.resolve("verify.sql")).exists();
        assertThat(Scaffold.newVersion(dir, "hotfix", "1.1.1").getFileName().toString()).isEqualTo("1.1.1__hotfix");
        assertThatThrownBy(() -> Scaffold.newVersion(dir, "again", "1.1.1")).isInstanceOf(ProjectException.class).hasMessageContaining("exists already");
        assertThatThrownBy(() -> Scaffold.newVersion(dir, "bad;name", null)).isInstanceOf(ProjectException.class);
    }
}
