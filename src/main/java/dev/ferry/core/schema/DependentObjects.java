package dev.ferry.core.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When PostgreSQL refuses a DROP because other objects depend on what it drops (SQLSTATE
 * 2BP01), names those objects from pg_depend, so the user reads "view public.price_view uses
 * it" instead of a bare error. Views are named as views, not as their internal rewrite rules.
 */
final class DependentObjects {

    static final String SQLSTATE = "2BP01";

    private static final Pattern COLUMN = Pattern.compile("cannot drop column (\\S+) of (?:table|view|materialized view) (\\S+) because");
    private static final Pattern RELATION = Pattern.compile("cannot drop (?:table|view|materialized view|sequence) (\\S+) because");
    private static final Pattern TYPE = Pattern.compile("cannot drop type (\\S+) because");

    private static final String DEPENDENT = """
            SELECT DISTINCT CASE WHEN d.classid = 'pg_rewrite'::regclass
                        THEN (SELECT CASE c.relkind WHEN 'm' THEN 'materialized view ' ELSE 'view ' END || r.ev_class::regclass::text
                              FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class WHERE r.oid = d.objid)
                        ELSE pg_describe_object(d.classid, d.objid, d.objsubid) END
            FROM pg_depend d
            WHERE d.refclassid = ?::regclass AND d.refobjid = ? AND (? = 0 OR d.refobjsubid = ?) AND d.deptype = 'n'
              AND NOT (d.classid = 'pg_rewrite'::regclass AND (SELECT ev_class FROM pg_rewrite WHERE oid = d.objid) = d.refobjid)
            ORDER BY 1
            """;

    private DependentObjects() {
    }

    /** The dependents of the object named in the server's message; empty when it cannot be told. */
    static List<String> of(Connection c, String serverMessage) throws SQLException {
        Matcher m = COLUMN.matcher(serverMessage);
        if (m.find()) {
            Long rel = oid(c, "SELECT to_regclass(?)::oid::bigint", unquote(m.group(2)));
            if (rel == null) {
                return List.of();
            }
            Integer att = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT attnum FROM pg_attribute WHERE attrelid = ? AND attname = ?")) {
                ps.setLong(1, rel);
                ps.setString(2, unquote(m.group(1)));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        att = rs.getInt(1);
                    }
                }
            }
            return att == null ? List.of() : dependents(c, "pg_class", rel, att);
        }
        m = RELATION.matcher(serverMessage);
        if (m.find()) {
            Long rel = oid(c, "SELECT to_regclass(?)::oid::bigint", unquote(m.group(1)));
            return rel == null ? List.of() : dependents(c, "pg_class", rel, 0);
        }
        m = TYPE.matcher(serverMessage);
        if (m.find()) {
            Long type = oid(c, "SELECT to_regtype(?)::oid::bigint", unquote(m.group(1)));
            return type == null ? List.of() : dependents(c, "pg_type", type, 0);
        }
        return List.of();
    }

    private static List<String> dependents(Connection c, String catalog, long oid, int subId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(DEPENDENT)) {
            ps.setString(1, catalog);
            ps.setLong(2, oid);
            ps.setInt(3, subId);
            ps.setInt(4, subId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static Long oid(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? rs.getLong(1) : null;
            }
        }
    }

    private static String unquote(String name) {
        return name.replace("\"", "");
    }
}
