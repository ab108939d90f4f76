package dev.ferry.sqlite.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The shipped cast rules, case by case: a column (table, name, declared type) and the type and transform it gets. */
class CastRulesTest {

    private static final CastRules DEFAULTS = CastRules.load(Path.of("config/mappings"));

    @ParameterizedTest(name = "{0}.{1} {2} => {3} using {4}")
    @CsvSource(delimiter = '|', textBlock = """
            tickers      | id            | INTEGER            | bigint                   | INTEGER
            tickers      | qty           | int(5)             | bigint                   | INTEGER
            tickers      | volume        | BIGINT             | bigint                   | INTEGER
            tickers      | price         | REAL               | double precision         | DOUBLE
            tickers      | score         | double precision   | double precision         | DOUBLE
            tickers      | weight        | FLOAT              | double precision         | DOUBLE
            tickers      | amount        | NUMERIC(18, 4)     | numeric(18, 4)           | NUMERIC
            tickers      | amount2       | decimal            | numeric                  | NUMERIC
            tickers      | is_active     | INTEGER            | boolean                  | FLAG
            tickers      | has_options   | int                | boolean                  | FLAG
            tickers      | enabled       |                    | boolean                  | FLAG
            tickers      | flag          | BOOLEAN            | boolean                  | FLAG
            tickers      | created_at    | INTEGER            | timestamptz              | EPOCH
            tickers      | updated_at    | TEXT               | timestamptz              | TIMESTAMPTZ
            tickers      | last_updated  | DATETIME           | timestamptz              | TIMESTAMPTZ
            ohlcv_data   | date          | TEXT               | date                     | DATE
            ohlcv_data   | trade_date    | DATE               | date                     | DATE
            ohlcv_data   | listing_date  | varchar(10)        | date                     | DATE
            sentiment    | payload_json  | TEXT               | jsonb                    | JSON
            sentiment    | payload       | JSON               | jsonb                    | JSON
            sentiment    | note          | TEXT               | text                     | TEXT
            sentiment    | code          | VARCHAR(12)        | text                     | TEXT
            sentiment    | body          | CLOB               | text                     | TEXT
            files        | content       | BLOB               | bytea                    | BYTES
            files        | whatever      |                    | text                     | TEXT
            files        | odd           | STRANGE TYPE       | text                     | TEXT
            """)
    void defaultRules(String table, String column, String declared, String type, Transform transform) {
        CastRules.Decision d = DEFAULTS.decide(table, column, declared == null ? "" : declared);
        assertThat(d.targetType()).as(d.rule()).isEqualTo(type);
        assertThat(d.transform()).as(d.rule()).isEqualTo(transform);
    }

    @Test
    void userRulesComeFirstAndTheFirstMatchWins() {
        List<CastRule> rules = new ArrayList<>(CastRules.parse("user", """
                # a comment
                column trades.price => numeric(18,4)
                column trades.price => text
                type /real/ and name *_pct => numeric using numeric
                """));
        rules.addAll(DEFAULTS.rules());
        CastRules r = new CastRules(rules);

        assertThat(r.decide("trades", "price", "REAL").targetType()).isEqualTo("numeric(18,4)");
        assertThat(r.decide("trades", "price", "REAL").rule()).isEqualTo("user:2");
        assertThat(r.decide("x", "change_pct", "real").transform()).isEqualTo(Transform.NUMERIC);
        assertThat(r.decide("x", "change", "real").targetType()).isEqualTo("double precision");
    }

    @Test
    void aRuleThatCannotBeReadNamesItsLine() {
        assertThatThrownBy(() -> CastRules.parse("mine.conf", "\n\ntype real => numeric"))
                .hasMessageContaining("mine.conf:3");
        assertThatThrownBy(() -> CastRules.parse("mine.conf", "else => numeric using magic"))
                .hasMessageContaining("unknown transform 'magic'");
    }
}
