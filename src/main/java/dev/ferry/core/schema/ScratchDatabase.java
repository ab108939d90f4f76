package dev.ferry.core.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An empty database on the target's server, for building the schema a project should produce
 * (diff) and for round trips (test); dropped when closed, whatever happened inside.
 */
public final class ScratchDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScratchDatabase.class);

    private final SchemaTarget admin;
    private final String name;
    private final SchemaTarget target;

    private ScratchDatabase(SchemaTarget admin, String name) {
        this.admin = admin;
        this.name = name;
        this.target = admin.withDatabase(name);
    }

    public static ScratchDatabase create(SchemaTarget of) {
        SchemaTarget admin = of.withDatabase("postgres");
        String name = "ferry_scratch_" + ProcessHandle.current().pid() + "_" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        try (Connection c = admin.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new SchemaException("cannot create a scratch database on " + of.safeUrl()
                    + " (diff and test build the expected schema there; the user needs CREATEDB): " + e.getMessage(), e);
        }
        return new ScratchDatabase(admin, name);
    }

    public SchemaTarget target() {
        return target;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        try (Connection c = admin.connect(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            LOG.warn("Could not drop the scratch database {}: {}", name, e.getMessage());
        }
    }
}
