package dev.ferry.v2.read;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ferry.core.db.Database;

/**
 * The v2 database as the DataSource the route's camel-sql endpoints name (#v2Source). The source
 * is chosen per pass (--source, FERRY_V2_URL), so this one bean points at the pool of the pass
 * that is running; passes run one at a time. v2 is only ever read: every connection is read-only.
 */
public final class V2Source implements DataSource, AutoCloseable {

    private HikariDataSource pool;
    private String url;
    private String user;

    /** Points at the given v2 database, reusing the pool when it is the same one. */
    public synchronized void use(String url, String user, String password) {
        if (pool != null && url.equals(this.url) && java.util.Objects.equals(user, this.user)) {
            return;
        }
        close();
        HikariConfig c = new HikariConfig();
        c.setPoolName("ferry-v2-source");
        c.setJdbcUrl(url);
        c.setUsername(user);
        if (password != null) {
            c.setPassword(password);
        }
        c.setMaximumPoolSize(2);
        c.setMinimumIdle(0);
        c.setReadOnly(true);
        c.setConnectionTimeout(10_000);
        c.addDataSourceProperty("ApplicationName", "ferry-v2-read");
        this.pool = new HikariDataSource(c);
        this.url = url;
        this.user = user;
    }

    public synchronized String safeUrl() {
        return url == null ? "(no v2 source)" : Database.masked(url);
    }

    private synchronized DataSource current() throws SQLException {
        if (pool == null) {
            throw new SQLException("no v2 source is set: give --source URL or FERRY_V2_URL");
        }
        return pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return current().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return current().getConnection(username, password);
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
            pool = null;
        }
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return current().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return current().isWrapperFor(iface);
    }
}
