package dev.ferry.bot.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The value rules of formats.md, one input/expected pair per row. */
class ValuesTest {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private final Values values = new Values(ZoneId.of("Asia/Kolkata"), List.of(".NS", ".BO", "-EQ", "-BE"));

    private static JsonNode record(String valueJson) throws Exception {
        return JSON.readTree("{\"v\": " + valueJson + "}");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "2450.0; 2450.0",
        "2450.10; 2450.10",
        "10; 10",
        "'\"Rs 2,450.00\"'; 2450.00",
        "'\"Rs. 2,450.5\"'; 2450.5",
        "'\"₹1,00,000.25\"'; 100000.25",
        "'\"+120.5\"'; 120.5",
        "'\"-3.25\"'; -3.25",
        "'\" 42 \"'; 42",
        "'\"INR 7\"'; 7",
    })
    void readsNumbersAndMoneyStrings(String json, String expected) throws Exception {
        assertThat(values.number(record(json), "v")).isEqualByComparingTo(new BigDecimal(expected));
    }

    @ParameterizedTest(name = "{0} is rejected")
    @CsvSource(delimiter = ';', value = {"'\"abc\"'", "'\"12,34\"'", "true", "'\"1.2.3\"'", "'{}'", "'\"Rs\"'"})
    void rejectsWhatIsNotANumber(String json) throws Exception {
        assertThatThrownBy(() -> values.number(record(json), "v"))
                .isInstanceOf(BadValueException.class)
                .hasMessageContaining("v is not a number")
                .extracting(e -> ((BadValueException) e).field()).isEqualTo("v");
    }

    @ParameterizedTest(name = "{0} is out of range")
    @CsvSource(delimiter = ';', value = {"1e999999", "1e999999999", "'\"1e999999999\"'", "1e31", "1e-21", "0.000000000000000000001"})
    void rejectsNumbersNoAmountHasWithoutExpandingThem(String json) throws Exception {
        assertThatThrownBy(() -> values.number(record(json), "v"))
                .isInstanceOf(BadValueException.class)
                .hasMessageContaining("v is out of range")
                .extracting(e -> ((BadValueException) e).field()).isEqualTo("v");
    }

    @ParameterizedTest(name = "{0} is in range")
    @CsvSource(delimiter = ';', value = {"1e29", "123456789012345678901234567890", "0.00000000000000000001", "2450.1000000000000000000000", "0"})
    void keepsTheLargestAndFinestAmounts(String json) throws Exception {
        assertThat(values.number(record(json), "v")).isEqualByComparingTo(new BigDecimal(json));
    }

    @org.junit.jupiter.api.Test
    void aSymbolLongerThanAnyTickerIsRejected() throws Exception {
        assertThatThrownBy(() -> values.symbol(record("\"" + "X".repeat(100_000) + "\""), "v"))
                .isInstanceOf(BadValueException.class).hasMessageContaining("v is 100000 characters long");
        assertThat(values.symbol(record("\"" + "X".repeat(64) + "\""), "v")).hasSize(64);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "2025-10-27T09:15:00; 2025-10-27T03:45:00Z",
        "2025-10-27 09:15:00; 2025-10-27T03:45:00Z",
        "2025-10-27T09:15; 2025-10-27T03:45:00Z",
        "2025-10-27T09:15:00.250; 2025-10-27T03:45:00.250Z",
        "2025-10-27T09:15:00+05:30; 2025-10-27T03:45:00Z",
        "2025-10-27T09:15:00-04:00; 2025-10-27T13:15:00Z",
        "2025-10-27T03:45:00Z; 2025-10-27T03:45:00Z",
        "2025-10-27 09:15:00+05:30; 2025-10-27T03:45:00Z",
    })
    void readsNaiveTimesInTheSourceZoneAndKeepsOffsets(String text, String expected) throws Exception {
        assertThat(values.time(record("\"" + text + "\""), "v")).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest(name = "{0} is rejected")
    @CsvSource(delimiter = ';', value = {"'\"2025-10-27\"'", "'\"yesterday\"'", "'\"2025-13-01T00:00:00\"'", "1761536700",
        "'\"2025-02-30T09:15:00\"'", "'\"2025-02-29 09:15:00\"'", "'\"2025-04-31T09:15\"'", "'\"2025-02-30T09:15:00+05:30\"'"})
    void rejectsWhatIsNotAnIsoTime(String json) throws Exception {
        assertThatThrownBy(() -> values.time(record(json), "v"))
                .isInstanceOf(BadValueException.class)
                .hasMessageContaining("v is not an ISO-8601 time");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"RELIANCE-EQ, RELIANCE", "RELIANCE.NS, RELIANCE", "TCS.BO, TCS", "SBIN-BE, SBIN", "infy.ns, infy",
                "M&M, M&M", "' TCS ', TCS", "BAJAJ-AUTO, BAJAJ-AUTO"})
    void cleansExchangeSuffixes(String raw, String clean) {
        assertThat(values.cleanSymbol(raw)).isEqualTo(clean);
    }

    @ParameterizedTest(name = "{0} and {1} are one key")
    @CsvSource({"2450, 2450.00", "0.10, 0.1", "1E+3, 1000"})
    void dedupKeysIgnoreNumberSpelling(String a, String b) {
        assertThat(Values.keyOf(new BigDecimal(a))).isEqualTo(Values.keyOf(new BigDecimal(b)));
    }
}
