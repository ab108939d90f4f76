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
}
