package dev.ferry.bot.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Order ids drawn from trading.orders_id_seq in blocks, so that fills can name
 * their order while both stream to PostgreSQL with COPY. Ids drawn by a run that
 * rolls back are simply never used, as with any sequence.
 *
 * <p>The first block is drawn on the load's own connection before its COPY starts, sized from
 * the file (a small file needs a few hundred ids, and drawing 20,000 cost a 100-trade file half
 * its run). Only a file that outgrows it opens a second connection, for the blocks after it:
 * the load's connection is busy streaming the COPY by then.
 */
public final class OrderIds implements AutoCloseable {

    private static final int MAX_BLOCK = 20_000;
    private static final int MIN_BLOCK = 256;

    private final Supplier<Connection> more;
    private Connection refills;
    private long[] block;
    private int next;
    private int filled;

    /**
     * @param first      the load's connection, used once now for the first block
     * @param expected   the ids the file is expected to need (an estimate; more are drawn when it is short)
     * @param more       opens the connection later blocks come from, if any are needed
     */
    public OrderIds(Connection first, long expected, Supplier<Connection> more) throws SQLException {
        this.more = more;
        draw(first, (int) Math.max(MIN_BLOCK, Math.min(MAX_BLOCK, expected)));
    }

    /**
     * Ids a bot file of this size may need: a trade of the bot's files takes 300 bytes or more and
     * makes at most two orders, so one id per 128 bytes leaves room; a short estimate only costs a refill.
     */
    public static long expectedFor(long fileBytes) {
        return fileBytes / 128 + 1;
    }

    public long next() throws SQLException {
        if (next == filled) {
            if (refills == null) {
                refills = more.get();
            }
            draw(refills, MAX_BLOCK);
        }
        return block[next++];
    }

    private void draw(Connection c, int n) throws SQLException {
        if (block == null || block.length < n) {
            block = new long[n];
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT nextval('trading.orders_id_seq') FROM generate_series(1, ?)")) {
            ps.setInt(1, n);
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

    @Override
    public void close() throws SQLException {
        if (refills != null) {
            refills.close();
        }
    }
}
