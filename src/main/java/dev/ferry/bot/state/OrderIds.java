package dev.ferry.bot.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Order ids drawn from trading.orders_id_seq in blocks, so that fills can name
 * their order while both stream to PostgreSQL with COPY. Ids drawn by a run that
 * rolls back are simply never used, as with any sequence.
 */
public final class OrderIds {

    private static final int BLOCK = 20_000;

    private final Connection c;
    private final long[] block = new long[BLOCK];
    private int next = BLOCK;
    private int filled = BLOCK;

    public OrderIds(Connection c) {
        this.c = c;
    }

    public long next() throws SQLException {
        if (next == filled) {
            refill();
        }
        return block[next++];
    }

    private void refill() throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('trading.orders_id_seq') FROM generate_series(1, ?)")) {
            ps.setInt(1, BLOCK);
            try (ResultSet rs = ps.executeQuery()) {
                int i = 0;
                while (rs.next()) {
                    block[i++] = rs.getLong(1);
                }
                filled = i;
                next = 0;
            }
        }
    }
}
