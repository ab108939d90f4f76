package dev.ferry.sqlite.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

/** Each transform on the values SQLite can hand it (any storage class in any column), good and bad. */
class TransformTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    private static Object apply(Transform t, Object v) throws CastException {
        return t.apply("c", v, UTC);
    }

    @Test
    void integers() throws CastException {
        assertThat(apply(Transform.INTEGER, 5L)).isEqualTo(5L);
        assertThat(apply(Transform.INTEGER, 7)).isEqualTo(7L);
        assertThat(apply(Transform.INTEGER, 3.0)).isEqualTo(3L);
        assertThat(apply(Transform.INTEGER, " 42 ")).isEqualTo(42L);
        assertThatThrownBy(() -> apply(Transform.INTEGER, "abc")).hasMessage("not an integer: 'abc'");
        assertThatThrownBy(() -> apply(Transform.INTEGER, 2.5)).hasMessage("not a whole number: 2.5");
    }

    @Test
    void realsAndNumerics() throws CastException {
        assertThat(apply(Transform.DOUBLE, 1L)).isEqualTo(1.0);
        assertThat(apply(Transform.DOUBLE, "2.5")).isEqualTo(2.5);
        assertThat(apply(Transform.NUMERIC, 0.1)).isEqualTo(new BigDecimal("0.1"));
        assertThat(apply(Transform.NUMERIC, 1600.0)).isEqualTo(new BigDecimal("1600"));
        assertThat(apply(Transform.NUMERIC, "2450.10")).isEqualTo(new BigDecimal("2450.10"));
        assertThatThrownBy(() -> apply(Transform.DOUBLE, "n/a")).hasMessage("not a number: 'n/a'");
    }

    @Test
    void textDatesAndTimes() throws CastException {
        assertThat(apply(Transform.DATE, "2025-10-28")).isEqualTo(LocalDate.of(2025, 10, 28));
        assertThat(apply(Transform.DATE, "2025-10-28 00:00:00")).isEqualTo(LocalDate.of(2025, 10, 28));
        assertThatThrownBy(() -> apply(Transform.DATE, "2025-10-28 09:15:00")).hasMessageContaining("a date with a time of day");
        assertThatThrownBy(() -> apply(Transform.DATE, "28/10/2025")).hasMessageContaining("not a date");
        // a day the month does not have is refused, never moved to the month's last day
        assertThatThrownBy(() -> apply(Transform.DATE, "2025-02-30")).hasMessageContaining("not a date (YYYY-MM-DD): '2025-02-30'");
        assertThatThrownBy(() -> apply(Transform.DATE, "2025-02-29 00:00")).hasMessageContaining("not a date");
        assertThatThrownBy(() -> apply(Transform.TIMESTAMPTZ, "2025-04-31 09:15:00")).hasMessageContaining("not a date and time");
        assertThat(apply(Transform.DATE, "2024-02-29")).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(apply(Transform.TIMESTAMPTZ, "2025-10-28 09:15:00")).isEqualTo(Instant.parse("2025-10-28T09:15:00Z"));
        assertThat(apply(Transform.TIMESTAMPTZ, "2025-10-28T09:15:00.123456+05:30")).isEqualTo(Instant.parse("2025-10-28T03:45:00.123456Z"));
        assertThat(Transform.TIMESTAMPTZ.apply("c", "2025-10-28 09:15", ZoneId.of("Asia/Kolkata"))).isEqualTo(Instant.parse("2025-10-28T03:45:00Z"));
        assertThatThrownBy(() -> apply(Transform.TIMESTAMPTZ, "yesterday")).hasMessageContaining("not a date and time");
    }

    @Test
    void epochIntegersInSecondsOrMilliseconds() throws CastException {
        assertThat(apply(Transform.EPOCH, 1_761_643_500L)).isEqualTo(Instant.parse("2025-10-28T09:25:00Z"));
        assertThat(apply(Transform.EPOCH, 1_761_643_500_123L)).isEqualTo(Instant.parse("2025-10-28T09:25:00.123Z"));
        assertThat(apply(Transform.EPOCH, "1761643500")).isEqualTo(Instant.parse("2025-10-28T09:25:00Z"));
        assertThatThrownBy(() -> apply(Transform.EPOCH, "soon")).hasMessageContaining("not a Unix time");
    }

    @Test
    void flags() throws CastException {
        assertThat(apply(Transform.FLAG, 1L)).isEqualTo(true);
        assertThat(apply(Transform.FLAG, 0L)).isEqualTo(false);
        assertThat(apply(Transform.FLAG, "yes")).isEqualTo(true);
        assertThat(apply(Transform.FLAG, "F")).isEqualTo(false);
        assertThatThrownBy(() -> apply(Transform.FLAG, 2L)).hasMessage("not a 0/1 flag: 2");
    }

    @Test
    void jsonIsCheckedAndWrittenAsJsonbPrintsIt() throws CastException {
        assertThat(apply(Transform.JSON, "{\"bb\":1, \"a\":[1,2.50,1e2], \"a\":\"x\\ty\"}")).isEqualTo("{\"a\": \"x\\ty\", \"bb\": 1}");
        assertThat(apply(Transform.JSON, "[1, 2.50, 1e2, -0, true, null]")).isEqualTo("[1, 2.50, 100, 0, true, null]");
        assertThatThrownBy(() -> apply(Transform.JSON, "{oops")).hasMessageStartingWith("not valid JSON");
    }

    @Test
    void textBytesAndEncoding() throws CastException {
        assertThat(apply(Transform.TEXT, 12L)).isEqualTo("12");
        assertThat(apply(Transform.BYTES, new byte[] {1, 2})).isEqualTo(new byte[] {1, 2});
        assertThat(apply(Transform.BYTES, "é")).isEqualTo("é".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> apply(Transform.TEXT, new byte[] {(byte) 0xc3, 0x28})).hasMessage("invalid UTF-8");
        assertThatThrownBy(() -> apply(Transform.TEXT, "a\0b")).hasMessageContaining("NUL");
    }
}
