package dev.ferry.core.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * The binary COPY of orders and fills must store exactly what the text COPY stored: each value is sent both
 * ways into twin tables and PostgreSQL's own text of every row must be equal. Numbers of every scale (negative,
 * zero, far beyond a double), times with every kind of fraction (including below a microsecond, rounded),
 * jsonb, an enum and text outside ASCII.
 */
class CopyBinaryRowsTest {

    @Test
    void binaryAndTextCopiesStoreTheSameValues() throws Exception {
        Random r = new Random(3);
        List<BigDecimal> numbers = new ArrayList<>(List.of(BigDecimal.ZERO, new BigDecimal("0.00"), new BigDecimal("1E+3"),
                new BigDecimal("-0.0001"), new BigDecimal("12345678901234567890.123456789012345678"), new BigDecimal("0.5"),
                new BigDecimal("9999.9999"), new BigDecimal("10000"), new BigDecimal("1E-20"), new BigDecimal("-1746.880")));
        List<Instant> times = new ArrayList<>(List.of(Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("1999-12-31T23:59:59.999999Z"),
                Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("2025-01-01T03:45:00.0000005Z"), Instant.parse("2025-01-01T03:45:00.0000015Z"),
                Instant.parse("2025-01-01T03:45:59.9999996Z"), Instant.parse("1950-06-01T12:00:00.123Z")));
        for (int i = 0; i < 3000; i++) {
            numbers.add(new BigDecimal(new BigInteger(r.nextInt(120) + 1, r).multiply(BigInteger.valueOf(r.nextBoolean() ? 1 : -1)),
                    r.nextInt(40) - 10));
            long secs = r.nextLong(4_000_000_000L) - 500_000_000L;
            int nanos = switch (i % 3) {
                case 0 -> r.nextInt(1000) * 1_000_000;
                case 1 -> r.nextInt(1_000_000) * 1000;
                default -> r.nextInt(1_000_000_000);
            };
            times.add(Instant.ofEpochSecond(secs, nanos));
        }
        String[] texts = {"BTCUSDT", "é€中😀", "tab\there", "back\\slash", null, ""};
        String[] json = {"{\"a\": 1}", "{\"nested\": {\"x\": [1, 2.50, \"é\"]}}", null, "[]"};
        String[] states = {"open", "closed", null};

        try (TestDatabase db = new TestDatabase(getClass()); Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TYPE state AS ENUM ('open', 'closed')");
            for (String t : List.of("viatext", "viabinary")) {
                st.execute("CREATE TABLE " + t + " (id bigint, k int, n numeric, at timestamptz, s text, j jsonb, e state)");
            }
            Utf8Bytes text = new Utf8Bytes(1 << 16);
            CopyRowWriter textRows = new CopyRowWriter(text);
            CopyBinaryRows binRows = new CopyBinaryRows(7, 1 << 10);
            int n = Math.max(numbers.size(), times.size());
            for (int i = 0; i < n; i++) {
                BigDecimal num = numbers.get(i % numbers.size());
                Instant at = times.get(i % times.size());
                String s = texts[i % texts.length];
                String j = json[i % json.length];
                String e = states[i % states.length];
                textRows.number(i).number(i % 1000).number(num).time(at).text(s).text(j).text(e).endRow();
                binRows.int8(i).int4(i % 1000).numeric(num).timestamptz(at).text(s).jsonb(j).text(e).endRow();
            }
            text.flush();
            var api = c.unwrap(PGConnection.class).getCopyAPI();
            var in = api.copyIn("COPY viatext FROM STDIN");
            in.writeToCopy(text.array(), 0, text.size());
            assertThat(in.endCopy()).isEqualTo(n);
            in = api.copyIn("COPY viabinary FROM STDIN" + CopyBinaryRows.format());
            byte[] data = binRows.finish();
            in.writeToCopy(data, 0, binRows.size());
            assertThat(in.endCopy()).isEqualTo(n);

            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM viatext t FULL JOIN viabinary b ON t.id = b.id "
                    + "WHERE t::text IS DISTINCT FROM b::text")) {
                rs.next();
                assertThat(rs.getLong(1)).as("rows whose text differs between the two copies").isZero();
            }
            try (ResultSet rs = st.executeQuery("SELECT n::text, at FROM viabinary WHERE id = 4")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("12345678901234567890.123456789012345678");
            }
        }
    }

    @Test
    void aRowWithTooFewOrTooManyValuesIsRefusedBeforeAnythingIsSent() {
        CopyBinaryRows rows = new CopyBinaryRows(2, 64);
        rows.int8(1);
        assertThatThrownBy(rows::endRow).hasMessageContaining("1 values where the table takes 2");
        CopyBinaryRows more = new CopyBinaryRows(1, 64);
        more.int8(1);
        assertThatThrownBy(() -> more.int8(2)).hasMessageContaining("more than 1");
    }
}
