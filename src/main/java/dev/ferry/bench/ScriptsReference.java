package dev.ferry.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.bot.BotFlow;
import dev.ferry.bot.RecordStager;
import dev.ferry.bot.transform.OrderRow;
import dev.ferry.bot.transform.StagedRecord;

/**
 * The bot's old migration scripts' way of loading a trades_history file, as their guide describes
 * it: every trade's orders and fills inserted one statement at a time (the order with RETURNING id,
 * then its fill), duplicates tracked in memory, one transaction committed at the end. Records are
 * mapped by Ferry's own mapper, so both write the same rows and only the writing differs. The
 * scripts' per-row "check existing DB records" query is left out: without an index it would make
 * the reference quadratic, and the point is a lower bound on its time, not a worst case.
 */
final class ScriptsReference {

    private final BotFlow flow;
    private final RecordStager stager;
    private final ObjectMapper json;

    ScriptsReference(BotFlow flow, ObjectMapper json) {
        this.flow = flow;
        this.json = json;
        this.stager = new RecordStager(json);
    }

    /** Loads the file for user 1 and returns the seconds it took. */
    double load(Connection c, Path file) throws Exception {
        Set<String> seen = new HashSet<>();
        long t0 = System.nanoTime();
        c.setAutoCommit(false);
        try (PreparedStatement order = c.prepareStatement("""
                INSERT INTO trading.orders (user_id, symbol, side, order_type, quantity, price, avg_price, status, placed_at, filled_at,
                                            closed_at, orig_source, order_id, broker_order_id, metadata)
                VALUES (1, ?, ?, ?, ?, ?, ?, ?::trading.order_status, ?, ?, ?, ?, ?, ?, ?::jsonb) RETURNING id""");
             PreparedStatement fill = c.prepareStatement(
                     "INSERT INTO trading.fills (order_id, user_id, quantity, price, fill_value, filled_at) VALUES (?, 1, ?, ?, ?, ?)");
             InputStream in = Files.newInputStream(file)) {
            flow.reader(json).read(in, (kind, no, path, line, node) -> {
                StagedRecord s = stager.stage(flow, kind, no, path, line, node);
                if (s.isRejected() || s.waitsForLastRun() || !seen.add(s.kind() + '|' + s.dedupKey())) {
                    return;
                }
                try {
                    for (OrderRow o : s.orders()) {
                        order.setString(1, s.symbol());
                        order.setString(2, o.side());
                        order.setString(3, o.orderType());
                        order.setBigDecimal(4, o.quantity());
                        order.setBigDecimal(5, o.price());
                        order.setBigDecimal(6, o.avgPrice());
                        order.setString(7, o.status());
                        order.setTimestamp(8, time(o.placedAt()));
                        order.setTimestamp(9, time(o.filledAt()));
                        order.setTimestamp(10, time(o.closedAt()));
                        order.setString(11, flow.origSource());
                        order.setString(12, o.orderId());
                        order.setString(13, o.brokerOrderId());
                        order.setString(14, s.metadata());
                        long id;
                        try (ResultSet rs = order.executeQuery()) {
                            rs.next();
                            id = rs.getLong(1);
                        }
                        if (o.withFill()) {
                            fill.setLong(1, id);
                            fill.setBigDecimal(2, o.quantity());
                            fill.setBigDecimal(3, o.avgPrice());
                            fill.setBigDecimal(4, o.quantity().multiply(o.avgPrice()));
                            fill.setTimestamp(5, time(o.filledAt()));
                            fill.executeUpdate();
                        }
                    }
                } catch (SQLException e) {
                    throw new java.io.IOException(e);
                }
            });
            c.commit();
        } finally {
            c.setAutoCommit(true);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static Timestamp time(Instant t) {
        return t == null ? null : Timestamp.from(t);
    }
}
