package dev.ferry.bot.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's foreign keys on trading.orders and trading.fills, checked once per batch
 * instead of once per row. PostgreSQL's RI triggers run a query and lock a row for every row
 * written (4.5 million of each for a million trades); here the same guarantees come from one
 * query per batch plus one row lock per run:
 * <ul>
 *   <li>orders.user_id and fills.user_id: every row of a run is the run's user, whose row is
 *       locked FOR KEY SHARE once, as each RI check would lock it, so it cannot be deleted or
 *       re-keyed before the commit;</li>
 *   <li>fills.order_id: every fill names an order this transaction has just written; one query
 *       per batch proves they all exist. No lock is needed: no other transaction can see, let
 *       alone delete, rows this one has not committed.</li>
 * </ul>
 * The RI triggers are skipped only for this session's COPY of those two tables, with
 * session_replication_role = replica (SET LOCAL: other sessions keep every trigger, and the
 * setting ends with the transaction), and only where that skips nothing else: when the
 * tables have no other trigger that replica mode would skip or fire (a user's trigger, a
 * deferred constraint, a foreign key this class does not know) and the role may set it.
 * Otherwise {@link #detect} returns null and the triggers do the checks, row by row.
 */
final class BatchForeignKeys {

    private static final Logger LOG = LoggerFactory.getLogger(BatchForeignKeys.class);

    /** The foreign keys this class checks itself, as pg_get_constraintdef prints them. */
    private static final Map<String, Set<String>> KNOWN = Map.of(
            "trading.orders", Set.of("FOREIGN KEY (user_id) REFERENCES trading.users(id)"),
            "trading.fills", Set.of("FOREIGN KEY (order_id) REFERENCES trading.orders(id)", "FOREIGN KEY (user_id) REFERENCES trading.users(id)"));

    private final String sourceFile;

    private BatchForeignKeys(String sourceFile) {
        this.sourceFile = sourceFile;
    }

    /**
     * The batch checks for this run, with the user's row locked; null when the RI triggers must
     * stay on (the reason is logged).
     */
    static BatchForeignKeys detect(Connection c, long userId, String sourceFile) throws SQLException {
        String why = whyNot(c);
        if (why != null) {
            LOG.info("{}: foreign keys checked by PostgreSQL row by row: {}", sourceFile, why);
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM trading.users WHERE id = ? FOR KEY SHARE")) {
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("user " + userId + " is not in trading.users: " + sourceFile + " cannot be loaded for it");
                }
            }
        }
        return new BatchForeignKeys(sourceFile);
    }

    private static String whyNot(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT current_setting('is_superuser') = 'on', current_setting('server_version_num')::int")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    if (rs.getInt(2) < 150000) {
                        return "only a superuser may set session_replication_role before PostgreSQL 15";
                    }
                    try (ResultSet p = st.executeQuery("SELECT has_parameter_privilege('session_replication_role', 'SET')")) {
                        p.next();
                        if (!p.getBoolean(1)) {
                            return "the role may not set session_replication_role (GRANT SET ON PARAMETER session_replication_role allows it)";
                        }
                    }
                }
            }
            // every trigger whose firing replica mode changes: those enabled 'O' stop, those enabled 'R' start
            try (ResultSet rs = st.executeQuery("""
                    SELECT t.tgrelid::regclass::text, t.tgname, t.tgisinternal AND k.contype = 'f', k.conrelid = t.tgrelid,
                           pg_get_constraintdef(k.oid)
                    FROM pg_trigger t LEFT JOIN pg_constraint k ON k.oid = t.tgconstraint
                    WHERE t.tgrelid IN ('trading.orders'::regclass, 'trading.fills'::regclass) AND t.tgenabled IN ('O', 'R')
                    ORDER BY 1, 2""")) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    if (!rs.getBoolean(3)) {
                        return table + " has the trigger " + rs.getString(2) + ", which must keep firing";
                    }
                    // the referenced side's triggers fire on UPDATE and DELETE only, which a load never does
                    if (rs.getBoolean(4) && !KNOWN.getOrDefault(table, Set.of()).contains(rs.getString(5))) {
                        return table + " has a foreign key this loader does not check itself: " + rs.getString(5);
                    }
                }
            }
        }
        return null;
    }

    /** From here to {@link #restoreTriggers}, this transaction's writes fire no RI trigger. */
    void skipTriggers(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL session_replication_role = replica");
        }
    }

    void restoreTriggers(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL session_replication_role = origin");
        }
    }

    /** Every order the batch's fills name is in trading.orders; fails the load otherwise. */
    void checkOrders(Connection c, long[] orderIds, int count, int firstRecord, int lastRecord) throws SQLException {
        if (count == 0) {
            return;
        }
        long[] ids = Arrays.copyOf(orderIds, count);
        long distinct = Arrays.stream(ids).distinct().count();
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM trading.orders WHERE id = ANY(?)")) {
            ps.setArray(1, c.unwrap(PGConnection.class).createArrayOf("int8", ids));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) != distinct) {
                    throw new SQLException(sourceFile + ", records " + firstRecord + " to " + lastRecord + ": " + (distinct - rs.getLong(1))
                            + " fill(s) name an order that is not in trading.orders (foreign key fills.order_id); nothing was kept", "23503");
                }
            }
        }
    }
}
