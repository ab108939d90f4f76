package dev.ferry.core.schema;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ferry.core.db.AdminDatabase;
import dev.ferry.core.db.Database;

/**
 * The PostgreSQL database a schema project is applied to. The password is held here and
 * never printed: {@link #toString()} and {@link #safeUrl()} leave it out.
 */
public final class SchemaTarget {

    private static final Pattern URL = Pattern.compile("^(jdbc:postgresql://[^/]*/)([^?]+)(.*)$");

    private final String url;
    private final String user;
    private final String password;

    public SchemaTarget(String url, String user, String password) {
        if (url == null || !URL.matcher(url).matches()) {
            throw new SchemaException("the target must be a jdbc:postgresql://host:port/database URL, not " + (url == null ? null : Database.masked(url)));
        }
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public Connection connect() throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("ApplicationName", "ferry-schema");
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(url, props);
    }

    public String database() {
        Matcher m = URL.matcher(url);
        m.matches();
        return m.group(2);
    }

    /** The same server and credentials, another database (the scratch databases of diff and test). */
    public SchemaTarget withDatabase(String name) {
        return new SchemaTarget(AdminDatabase.withName(url, name), user, password);
    }

    public String safeUrl() {
        return Database.masked(url);
    }

    @Override
    public String toString() {
        return safeUrl();
    }
}
