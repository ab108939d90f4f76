package dev.ferry.core.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.core.schema.FerrySchema;
import dev.ferry.core.schema.SchemaEngine;
import dev.ferry.core.schema.SchemaResult;
import dev.ferry.core.schema.SchemaTarget;
import dev.ferry.settings.FerrySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The target PostgreSQL: a connection pool that may be created while the server is
 * down, and a one-time "ready" step (create the database if asked, migrate the
 * schema, close out runs whose process died) taken at start-up or at first use.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/]*/)([^?]+)(.*)$");

    private final FerrySettings settings;
    private final HikariDataSource pool;
    private volatile boolean ready;

    public Database(FerrySettings settings) {
        this.settings = settings;
        HikariConfig config = new HikariConfig();
        config.setPoolName("ferry-db");
        config.setJdbcUrl(settings.dbUrl());
        config.setUsername(settings.dbUser());
        settings.dbPassword().ifPresent(config::setPassword);
        config.setMaximumPoolSize(settings.dbPoolSize());
        config.setMinimumIdle(0);
        // start even when PostgreSQL is down: runs retry with back-off instead of the app refusing to start
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(5_000);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        config.addDataSourceProperty("ApplicationName", "ferry");
        // a connection cut without a reset (a network partition) is noticed instead of hanging a run
        config.addDataSourceProperty("tcpKeepAlive", "true");
        this.pool = new HikariDataSource(config);
    }

    public DataSource dataSource() {
        return pool;
    }

    public Connection connection() {
        ready();
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw DatabaseUnavailableException.wrap("connecting to " + safeUrl(), e);
        }
    }

    /** Creates the database if missing, migrates the schema and aborts stale runs, once per process. */
    public synchronized void ready() {
        if (ready) {
            return;
        }
        if (settings.dbCreateIfMissing()) {
            createDatabaseIfMissing();
        }
        try (Connection probe = pool.getConnection()) {
            // reachable: the engine opens its own connection for the schema lock
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("PostgreSQL unavailable at " + safeUrl() + ": " + rootMessage(e), e);
        }
        // Ferry's own schema is the built-in project "ferry", on the engine users run their projects with
        SchemaResult r = new SchemaEngine(new SchemaTarget(settings.dbUrl(), settings.dbUser(), settings.dbPassword().orElse(null)),
                Duration.ofSeconds(Long.parseLong(settings.string("ferry.schema.lock-wait-seconds", "60"))))
                .withBaseline(FerrySchema.flywayHistory())
                .migrate(FerrySchema.project(), null, false, false);
        if (!r.ok()) {
            throw new IllegalStateException("Ferry's own schema could not be brought up to date: " + r.summaryLine());
        }
        ready = true;
    }

    /** Any URL with its password parameter masked, for messages and reports. */
    public static String masked(String url) {
        return Secrets.redact(url);
    }

    /** The URL with any password parameter removed, for messages. */
    public String safeUrl() {
        return masked(settings.dbUrl());
    }

    private void createDatabaseIfMissing() {
        Matcher m = URL.matcher(settings.dbUrl());
        if (!m.matches() || m.group(2).equals("postgres")) {
            return;
        }
        String name = m.group(2);
        Properties props = new Properties();
        props.setProperty("user", settings.dbUser());
        settings.dbPassword().ifPresent(p -> props.setProperty("password", p));
        props.setProperty("connectTimeout", "5");
        try (Connection c = DriverManager.getConnection(m.group(1) + "postgres" + m.group(3), props);
             Statement st = c.createStatement()) {
            if (!Sql.exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", name)) {
                st.execute("CREATE DATABASE " + Sql.ident(name));
                LOG.info("Created database {}", name);
            }
        } catch (SQLException e) {
            if (DatabaseUnavailableException.isUnavailable(e)) {
                throw new DatabaseUnavailableException("PostgreSQL unavailable at " + safeUrl() + ": " + e.getMessage(), e);
            }
            // no right to create databases, or a race with another node: migration will tell if it really is missing
            LOG.debug("Could not create database {}: {}", name, e.getMessage());
        }
    }

    /** The innermost cause's message: what the user can act on, without the wrappers around it. */
    public static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage();
    }

    @Override
    public void close() {
        pool.close();
    }
}
