package dev.ferry.sqlite.validate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Random;

import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.Test;

/** Ferry's port of hash_bytes_extended gives what the real PostgreSQL's hashtextextended(text, 0) gives. */
class PgHashTest {

    @Test
    void sameHashAsPostgresql() throws Exception {
        Random rnd = new Random(7);
        try (TestDatabase db = new TestDatabase(PgHashTest.class); Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT hashtextextended(?, 0)")) {
            for (int n = 0; n < 300; n++) {
                StringBuilder sb = new StringBuilder();
                int len = n < 40 ? n : rnd.nextInt(200);
                for (int i = 0; i < len; i++) {
                    sb.append(i % 17 == 5 ? "é✓" : String.valueOf((char) ('!' + rnd.nextInt(90))));
                }
                String s = sb.toString();
                ps.setString(1, s);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    byte[] b = s.getBytes(StandardCharsets.UTF_8);
                    assertThat(PgHash.hashBytesExtended(b, b.length, 0)).as("hash of %s", s).isEqualTo(rs.getLong(1));
                }
            }
        }
    }
}
