package dev.ferry.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Values that would break a COPY row (tabs, newlines, backslashes in the bot's free text) arrive escaped. */
class CopyRowWriterTest {

    @Test
    void escapesWhatCopyTextFormatTreatsSpecially() throws Exception {
        StringWriter out = new StringWriter();
        new CopyRowWriter(out).text("a\tb\nc\\d\re").text(null).number(new BigDecimal("1E+3")).time(Instant.parse("2025-10-27T03:45:00Z"))
                .bool(true).text("plain").endRow();
        assertThat(out.toString()).isEqualTo("a\\tb\\nc\\\\d\\re\t\\N\t1000\t2025-10-27T03:45:00Z\tt\tplain\n");
    }
}
