package dev.ferry.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import dev.ferry.core.schema.SchemaResult;
import dev.ferry.support.FerryTestSupport;
import org.junit.jupiter.api.Test;

/**
 * A schema project's name is its folder's name, chosen by whoever drops it: one with quotes and a
 * statement in it is recorded as a value (a parameter), never run as SQL.
 */
class HostileProjectNameTest extends FerryTestSupport {

    private static final String NAME = "it's \"odd\"; drop table ferry.runs; --";

    @Test
    void aProjectNameWithQuotesIsStoredAsItIsAndRunsNothingElse() throws Exception {
        Path project = work.resolve("projects").resolve(NAME);
        Path source = Path.of("config/schema/trading-system");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.toList()) {
                Path to = project.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Map<String, Object> h = new HashMap<>(Map.of("FerrySchemaCommand", "migrate", "FerrySchemaProject", project.toString()));

        SchemaResult migrated = ferry.template().requestBodyAndHeaders("direct:schema", null, h, SchemaResult.class);

        assertThat(migrated.getErrors()).isEmpty();
        assertThat(migrated.getCurrentVersion()).isEqualTo("1.1.0");
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM ferry_schema.applied WHERE project = ?")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2);
            }
        }
        assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'ferry' AND tablename = 'runs'")).isEqualTo(1);
        h.put("FerrySchemaCommand", "status");
        SchemaResult status = ferry.template().requestBodyAndHeaders("direct:schema", null, h, SchemaResult.class);
        assertThat(status.getPending()).isEmpty();
    }
}
