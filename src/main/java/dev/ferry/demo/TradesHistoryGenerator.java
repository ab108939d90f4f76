package dev.ferry.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Writes a trades_history.json of any size in constant memory, shaped like the
 * bot's (suffixed symbols, order responses, extra fields), half of the trades
 * closed. Seeded, so the same arguments give the same bytes.
 */
public final class TradesHistoryGenerator {

    private static final String[] SYMBOLS = {"RELIANCE", "TCS", "INFY", "HDFCBANK", "ICICIBANK", "SBIN", "ITC", "LT",
        "AXISBANK", "KOTAKBANK", "BHARTIARTL", "HINDUNILVR", "MARUTI", "SUNPHARMA", "TITAN", "WIPRO"};
    private static final DateTimeFormatter NAIVE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private int trades = 1000;
    private long seed = 42;
    private boolean withFlaws;
    private LocalDateTime start = LocalDateTime.of(2025, 1, 1, 9, 15);

    public TradesHistoryGenerator trades(int n) {
        this.trades = n;
        return this;
    }

    public TradesHistoryGenerator seed(long s) {
        this.seed = s;
        return this;
    }

    /** Adds what real files have: a duplicate trade, a trade with qty 0, money strings, offset times. */
    public TradesHistoryGenerator withFlaws(boolean flaws) {
        this.withFlaws = flaws;
        return this;
    }

    public TradesHistoryGenerator start(LocalDateTime t) {
        this.start = t;
        return this;
    }

    public Path write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out);
        }
        return file;
    }

    public void write(OutputStream out) throws IOException {
        Random rnd = new Random(seed);
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("trades");
            for (int i = 0; i < trades; i++) {
                writeTrade(g, i, rnd);
                if (withFlaws && i == 1) {
                    writeTrade(g, i, new Random(seed + i)); // the same trade again, as a bot restart writes it
                }
            }
            if (withFlaws) {
                g.writeStartObject();
                g.writeStringField("symbol", "SBIN-EQ");
                g.writeNumberField("entry_price", 812.5);
                g.writeNumberField("qty", 0);
                g.writeStringField("entry_time", "2025-01-01T10:00:00");
                g.writeStringField("status", "open");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("failed_orders");
            g.writeStartObject();
            g.writeStringField("symbol", "INFY");
            g.writeNumberField("qty", 3);
            g.writeStringField("reason", "insufficient funds");
            g.writeStringField("first_failed_at", start.format(NAIVE));
            g.writeEndObject();
            g.writeEndArray();
            g.writeStringField("last_run", start.plusMinutes(trades + 60L).format(NAIVE) + "+05:30");
            g.writeEndObject();
        }
    }

    private void writeTrade(JsonGenerator g, int i, Random rnd) throws IOException {
        if (withFlaws && i == 1) {
            rnd = new Random(seed + i);
        }
        String symbol = SYMBOLS[rnd.nextInt(SYMBOLS.length)];
        BigDecimal entry = BigDecimal.valueOf(100 + rnd.nextInt(490_000), 2).add(BigDecimal.valueOf(100));
        int qty = 1 + rnd.nextInt(100);
        LocalDateTime at = start.plusMinutes(i);
        boolean closed = i % 2 == 1;
        g.writeStartObject();
        g.writeStringField("symbol", symbol);
        g.writeStringField("placed_symbol", symbol + "-EQ");
        g.writeStringField("ticker", symbol + ".NS");
        if (withFlaws && i % 10 == 3) {
            g.writeStringField("entry_price", "Rs " + String.format(java.util.Locale.ROOT, "%,.2f", entry));
        } else {
            g.writeNumberField("entry_price", entry);
        }
        g.writeNumberField("qty", qty);
        g.writeStringField("entry_time", withFlaws && i % 10 == 7 ? at.format(NAIVE) + "+05:30" : at.format(NAIVE));
        g.writeStringField("status", closed ? "closed" : "open");
        if (closed) {
            BigDecimal exit = entry.multiply(BigDecimal.valueOf(95 + rnd.nextInt(11))).divide(BigDecimal.valueOf(100), 2, RoundingMode.HALF_UP);
            g.writeNumberField("exit_price", exit);
            g.writeStringField("exit_time", at.plusMinutes(30 + rnd.nextInt(300)).format(NAIVE));
            g.writeStringField("exit_reason", rnd.nextBoolean() ? "EMA9_TARGET" : "STOP_LOSS");
        }
        g.writeNumberField("capital", entry.multiply(BigDecimal.valueOf(qty)));
        g.writeNumberField("rsi_entry_level", 20 + rnd.nextInt(20));
        g.writeObjectFieldStart("order_response");
        g.writeStringField("stat", "Ok");
        g.writeStringField("nOrdNo", String.format("25%010d", i));
        g.writeEndObject();
        g.writeEndObject();
    }
}
