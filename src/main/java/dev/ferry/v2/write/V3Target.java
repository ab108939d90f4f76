package dev.ferry.v2.write;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.core.db.Database;

/**
 * The v3 database: Ferry's own database unless --target / FERRY_V3_URL names another. Ferry's
 * lineage for the migration (schema ferry_v2) lives here, beside the rows it guards.
 */
public final class V3Target implements AutoCloseable {

    private final Database ferryDb;
    private HikariDataSource pool;
    private String url;

    public V3Target(Database ferryDb) {
        this.ferryDb = ferryDb;
    }

    /** Null or blank: Ferry's database. */
    public synchronized void use(String url, String user, String password) {
        String wanted = url == null || url.isBlank() ? null : url;
        if (Objects.equals(wanted, this.url)) {
            return;
        }
        close();
        this.url = wanted;
        if (wanted != null) {
            HikariConfig c = new HikariConfig();
            c.setPoolName("ferry-v3-target");
            c.setJdbcUrl(wanted);
            c.setUsername(user);
            if (password != null) {
                c.setPassword(password);
            }
            c.setMaximumPoolSize(3);
            c.setMinimumIdle(0);
            c.setConnectionTimeout(10_000);
            c.addDataSourceProperty("ApplicationName", "ferry-v3-write");
            pool = new HikariDataSource(c);
        }
    }

    public synchronized Connection connect() throws SQLException {
        return pool == null ? ferryDb.connection() : pool.getConnection();
    }

    public synchronized String safeUrl() {
        return url == null ? ferryDb.safeUrl() : Database.masked(url);
    }

    /** The URL the schema engine connects to (the compatibility change and the lineage tables). */
    public synchronized String url() {
        return url;
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }
}
