package dev.ferry.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * The COPY buffer that encodes UTF-8 itself must give exactly the bytes the JDK's encoder gives, and the
 * hand-made time text exactly Instant.toString's: a byte off would be a value silently altered.
 */
class Utf8BytesTest {

    private static final String[] PIECES = {"a", "BTCUSDT", "é", "ß", "€", "中", "😀", "\uD83D", "\uDE00", "\t", "\\", "\n", "x\u0000y", "Ω≈ç"};

    @Test
    void encodesLikeTheJdkIncludingSurrogatePairsAndLoneHalves() {
        Random r = new Random(7);
        for (int trial = 0; trial < 2000; trial++) {
            StringBuilder s = new StringBuilder();
            int n = r.nextInt(12);
            for (int i = 0; i < n; i++) {
                s.append(PIECES[r.nextInt(PIECES.length)]);
            }
            String text = s.toString();
            Utf8Bytes out = new Utf8Bytes(16);
            // written in two slices split at a random char, as CopyRowWriter splits around escapes
            int cut = text.isEmpty() ? 0 : r.nextInt(text.length() + 1);
            out.write(text, 0, cut);
            out.write(text, cut, text.length() - cut);
            out.flush();
            assertThat(Arrays.copyOf(out.array(), out.size())).as("%s", text.codePoints().boxed().toList())
                    .isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void timesReadAsInstantToStringDoesForEveryFractionAndTheEdgesOfFourDigitYears() throws Exception {
        Random r = new Random(11);
        List<Instant> times = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.ofEpochSecond(253_402_300_800L), Instant.parse("1969-12-31T23:59:59.5Z"), Instant.parse("2024-02-29T12:00:00.120Z"),
                Instant.parse("2025-01-01T03:45:00.000001Z"), Instant.parse("2025-01-01T03:45:00.100000001Z")));
        for (int i = 0; i < 5000; i++) {
            long secs = r.nextLong(253_402_300_800L);
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1000;
                default -> r.nextInt(1_000_000_000);
            };
            times.add(Instant.ofEpochSecond(secs, nanos));
        }
        for (Instant t : times) {
            StringWriter out = new StringWriter();
            new CopyRowWriter(out).time(t);
            assertThat(out.toString()).isEqualTo(t.toString());
        }
    }

    @Test
    void postgresReadsBackTheTextAndTimesThatWereWritten() throws Exception {
        List<String> texts = List.of("plain", "é€中😀", "tab\there", "back\\slash", "line\nbreak", "Ω≈ç ASCII mix 123");
        Instant t = Instant.parse("2025-03-04T05:06:07.089Z");
        try (TestDatabase db = new TestDatabase(getClass()); Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (n int, s text, at timestamptz)");
            Utf8Bytes bytes = new Utf8Bytes(16);
            CopyRowWriter rows = new CopyRowWriter(bytes);
            for (int i = 0; i < texts.size(); i++) {
                rows.number(i).text(texts.get(i)).time(t.plusSeconds(i)).endRow();
            }
            bytes.flush();
            var in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY t FROM STDIN");
            in.writeToCopy(bytes.array(), 0, bytes.size());
            assertThat(in.endCopy()).isEqualTo(texts.size());
            try (ResultSet rs = st.executeQuery("SELECT n, s, at FROM t ORDER BY n")) {
                for (int i = 0; i < texts.size(); i++) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(2)).isEqualTo(texts.get(i));
                    assertThat(rs.getTimestamp(3).toInstant()).isEqualTo(t.plusSeconds(i));
                }
            }
        }
    }
}
