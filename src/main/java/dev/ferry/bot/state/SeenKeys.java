package dev.ferry.bot.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The dedup keys a load has seen: the user's keys from earlier runs plus the ones
 * met so far in the file. Each key is held as its 128-bit MD5 in open-addressing
 * tables of longs (16 bytes a key, at most three quarters full), split into 1024 segments
 * that grow one at a time: millions of keys fit in a small heap without one huge array.
 * This set is what keeps a key from being written twice (ferry.record_keys has no unique
 * index since Ferry schema 12): it is filled while the load holds its user's advisory lock,
 * so no other load of that user can add a key meanwhile. Two keys with the same digest count
 * as one: the later record is reported as a duplicate, never written twice.
 */
public final class SeenKeys {

    // many small segments: each table stays far below G1's humongous-object size, and grows alone
    private static final int SEGMENTS = 1024;

    private final MessageDigest md5;
    private final Segment[] segments = new Segment[SEGMENTS];
    private int size;

    public SeenKeys() {
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new Segment();
        }
    }

    /** The keys earlier runs loaded for this user, streamed from ferry.record_keys. */
    public static SeenKeys loadedFor(Connection c, long userId) throws SQLException {
        SeenKeys keys = new SeenKeys();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false); // a cursor (fetch size) needs a transaction
        try (PreparedStatement ps = c.prepareStatement("SELECT kind, key FROM ferry.record_keys WHERE user_id = ?")) {
            ps.setFetchSize(50_000);
            ps.setLong(1, userId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1), rs.getString(2));
                }
            }
        } finally {
            if (auto) {
                c.setAutoCommit(true);
            }
        }
        return keys;
    }

    /** Adds the key; false when it was already there. */
    public boolean add(String kind, String key) {
        md5.update(kind.getBytes(StandardCharsets.UTF_8));
        md5.update((byte) 0);
        ByteBuffer d = ByteBuffer.wrap(md5.digest(key.getBytes(StandardCharsets.UTF_8)));
        long hi = d.getLong();
        long lo = d.getLong();
        if (hi == 0 && lo == 0) {
            lo = 1; // (0,0) marks an empty slot
        }
        if (segments[(int) (hi >>> 54)].add(hi, lo)) {
            size++;
            return true;
        }
        return false;
    }

    public int size() {
        return size;
    }

    private static final class Segment {
        private long[] table = new long[2 * 64];
        private int mask = 63;
        private int size;

        boolean add(long hi, long lo) {
            // at most three quarters full: linear probing stays short, memory stays near 21 bytes a key
            if ((size + 1) * 4L > (mask + 1) * 3L) {
                grow();
            }
            if (insert(table, mask, hi, lo)) {
                size++;
                return true;
            }
            return false;
        }

        private void grow() {
            long[] old = table;
            int slots = (mask + 1) * 2;
            table = new long[slots * 2];
            mask = slots - 1;
            for (int i = 0; i < old.length; i += 2) {
                if (old[i] != 0 || old[i + 1] != 0) {
                    insert(table, mask, old[i], old[i + 1]);
                }
            }
        }

        private static boolean insert(long[] t, int m, long hi, long lo) {
            int slot = (int) (lo ^ (lo >>> 32)) & m;
            while (true) {
                int i = slot * 2;
                if (t[i] == 0 && t[i + 1] == 0) {
                    t[i] = hi;
                    t[i + 1] = lo;
                    return true;
                }
                if (t[i] == hi && t[i + 1] == lo) {
                    return false;
                }
                slot = (slot + 1) & m;
            }
        }
    }
}
