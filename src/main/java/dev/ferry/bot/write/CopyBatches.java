package dev.ferry.bot.write;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.ferry.core.db.CopyBinaryRows;
import dev.ferry.core.db.CopyRowWriter;
import dev.ferry.core.db.Utf8Bytes;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A run's orders, fills and dedup keys, sent in batches of records: each batch's orders, then
 * its fills, then its keys, each with one COPY. A thread of its own sends a batch while the
 * next one is read and mapped, so parsing and PostgreSQL's work overlap instead of taking
 * turns, and a batch's fills reach the server while their orders are still in its buffers.
 * At most two batches are held in memory. The connection belongs to the sending thread until
 * {@link #flush}.
 */
final class CopyBatches implements AutoCloseable {

    static final String ORDERS_COPY = "COPY trading.orders (id, user_id, symbol, side, order_type, quantity, price, avg_price, "
            + "status, placed_at, filled_at, closed_at, orig_source, order_id, broker_order_id, metadata, ferry_run_id, ferry_record) FROM STDIN"
            + CopyBinaryRows.format();
    static final int ORDER_FIELDS = 18;
    static final String FILLS_COPY = "COPY trading.fills (order_id, user_id, quantity, price, fill_value, filled_at, ferry_run_id, ferry_record) FROM STDIN"
            + CopyBinaryRows.format();
    static final int FILL_FIELDS = 8;
    static final String KEYS_COPY = "COPY ferry.record_keys (user_id, kind, key, run_id, record_no) FROM STDIN";

    private final Connection c;
    private final BatchForeignKeys foreignKeys;
    private final int batchRecords;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ferry-copy");
        t.setDaemon(true);
        return t;
    });
    private Future<long[]> inFlight;
    private Batch current = new Batch();
    private final long[] sent = new long[3];
    /** Nanoseconds PostgreSQL spent on orders, fills, the batch checks and keys: where a slow load's time goes. */
    private final long[] spent = new long[4];

    /** foreignKeys: null to leave the checks to PostgreSQL's triggers. */
    CopyBatches(Connection c, BatchForeignKeys foreignKeys, int batchRecords) {
        this.c = c;
        this.foreignKeys = foreignKeys;
        this.batchRecords = batchRecords;
    }

    CopyBinaryRows order() {
        return current.orders;
    }

    CopyBinaryRows fill(long orderId) {
        current.fillOrder(orderId);
        return current.fills;
    }

    CopyRowWriter key() {
        return current.keys.rows;
    }

    /** The record is complete; a full batch goes to the sender. */
    void endRecord(int recordNo) throws IOException, SQLException {
        current.record(recordNo);
        if (current.records >= batchRecords) {
            send();
        }
    }

    /** Sends what is left and waits: returns the {orders, fills, keys} PostgreSQL took, and the connection is the caller's again. */
    long[] flush() throws IOException, SQLException {
        send();
        await();
        return sent.clone();
    }

    private void send() throws IOException, SQLException {
        Batch b = current;
        b.close();
        await();
        current = new Batch();
        if (b.orders.rows() + b.fills.rows() + b.keys.size() > 0) {
            inFlight = sender.submit(() -> write(b));
        }
    }

    private void await() throws IOException, SQLException {
        if (inFlight == null) {
            return;
        }
        try {
            long[] n = inFlight.get();
            for (int i = 0; i < sent.length; i++) {
                sent[i] += n[i];
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while PostgreSQL took a batch", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException s) {
                throw s;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            inFlight = null;
        }
    }

    private long[] write(Batch b) throws SQLException {
        long t0 = System.nanoTime();
        if (foreignKeys != null) {
            foreignKeys.skipTriggers(c);
        }
        long orders = copy(ORDERS_COPY, b.orders.rows() == 0 ? null : b.orders.finish(), b.orders.size());
        long t1 = System.nanoTime();
        long fills = copy(FILLS_COPY, b.fills.rows() == 0 ? null : b.fills.finish(), b.fills.size());
        long t2 = System.nanoTime();
        if (foreignKeys != null) {
            foreignKeys.restoreTriggers(c);
            foreignKeys.checkOrders(c, b.fillOrders, b.fillCount, b.firstRecord, b.lastRecord);
        }
        long t3 = System.nanoTime();
        long keys = copy(KEYS_COPY, b.keys.bytes(), b.keys.size());
        long t4 = System.nanoTime();
        spent[0] += t1 - t0;
        spent[1] += t2 - t1;
        spent[2] += t3 - t2;
        spent[3] += t4 - t3;
        return new long[] {orders, fills, keys};
    }

    /** Seconds spent sending {orders, fills, foreign-key checks, keys}. */
    double[] seconds() {
        double[] s = new double[spent.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = spent[i] / 1e9;
        }
        return s;
    }

    private long copy(String sql, byte[] data, int size) throws SQLException {
        if (data == null || size == 0) {
            return 0;
        }
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            in.writeToCopy(data, 0, size);
            return in.endCopy();
        } catch (SQLException e) {
            try {
                if (in.isActive()) {
                    in.cancelCopy();
                }
            } catch (SQLException ignored) {
                // the first error is the one worth reporting; the rollback follows
            }
            throw e;
        }
    }

    /** Waits for a batch still being sent (the caller then rolls back) and stops the sender. */
    @Override
    public void close() {
        try {
            if (inFlight != null) {
                inFlight.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ignored) {
            // the load is failing already; the rollback undoes the batch
        } finally {
            sender.shutdownNow();
        }
    }

    /** Rows in COPY text format, encoded as they are made, so that the sender only sends bytes. */
    private static final class Buffer {
        final Utf8Bytes out = new Utf8Bytes(1 << 20);
        final CopyRowWriter rows = new CopyRowWriter(out);

        byte[] bytes() {
            return out.array();
        }

        int size() {
            return out.size();
        }
    }

    private static final class Batch {
        final CopyBinaryRows orders = new CopyBinaryRows(ORDER_FIELDS, 1 << 20);
        final CopyBinaryRows fills = new CopyBinaryRows(FILL_FIELDS, 1 << 20);
        final Buffer keys = new Buffer();
        long[] fillOrders = new long[1024];
        int fillCount;
        int records;
        int firstRecord = -1;
        int lastRecord;

        void fillOrder(long id) {
            if (fillCount == fillOrders.length) {
                fillOrders = Arrays.copyOf(fillOrders, fillCount * 2);
            }
            fillOrders[fillCount++] = id;
        }

        void record(int recordNo) {
            records++;
            if (firstRecord < 0) {
                firstRecord = recordNo;
            }
            lastRecord = recordNo;
        }

        void close() throws IOException {
            keys.out.flush();
        }
    }
}
