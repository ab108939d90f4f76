package dev.ferry.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/** A SQLite file built by a test with sqlite-jdbc: statements as text, binds for values SQL cannot spell (bad UTF-8). */
public final class SqliteFixture {

    private SqliteFixture() {
    }

    public static Path create(Path file, String... statements) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
                for (String s : statements) {
                    st.execute(s);
                }
            }
            return file;
        } catch (Exception e) {
            throw new IllegalStateException("building " + file + ": " + e.getMessage(), e);
        }
    }

    /** Runs one statement with bound parameters (byte[] binds as a blob; cast(? AS text) makes it text with those bytes). */
    public static void exec(Path file, String sql, Object... params) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Overwrites {@code length} bytes at {@code at} with junk, as a bad sector or a broken copy would leave them. */
    public static void overwrite(Path file, long at, int length) {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            byte[] junk = new byte[length];
            java.util.Arrays.fill(junk, (byte) 0xAB);
            ch.write(java.nio.ByteBuffer.wrap(junk), at);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Overwrites the root page of {@code table}'s b-tree with junk (pages of {@code pageSize} bytes). */
    public static void damageRootPage(Path file, String table, int pageSize) {
        long root;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement ps = c.prepareStatement("SELECT rootpage FROM sqlite_master WHERE name = ?")) {
            ps.setString(1, table);
            try (var rs = ps.executeQuery()) {
                rs.next();
                root = rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        overwrite(file, (root - 1) * pageSize, pageSize);
    }
}
