package dev.ferry.core.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ferry.settings.FerrySettings;

/** Whole-database chores for the demo, the benchmark and tests: a fresh database of a given name. */
public final class AdminDatabase {

    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/]*/)([^?]+)(.*)$");

    private AdminDatabase() {
    }

    /** The same URL pointing at another database. */
    public static String withName(String url, String name) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host/db URL: " + url);
        }
        return m.group(1) + name + m.group(3);
    }

    /** Drops the database (ending its sessions) and creates it empty. */
    public static void recreate(FerrySettings settings, String name) {
        Properties props = new Properties();
        props.setProperty("user", settings.dbUser());
        settings.dbPassword().ifPresent(p -> props.setProperty("password", p));
        String quoted = "\"" + name.replace("\"", "\"\"") + "\"";
        try (Connection c = DriverManager.getConnection(withName(settings.dbUrl(), "postgres"), props);
             Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + quoted + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + quoted);
        } catch (SQLException e) {
            throw DatabaseUnavailableException.wrap("recreating database " + name, e);
        }
    }
}
