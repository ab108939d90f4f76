package dev.ferry.v2.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Values in PostgreSQL's text input form, and the v3 column types they are cast to. */
public final class V3Values {

    private final Map<String, Map<String, String>> types = new ConcurrentHashMap<>();

    /** The text PostgreSQL reads the value from; null stays null. */
    public static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b ? "t" : "f";
        }
        return v.toString();
    }

    /** The column types of a v3 table (format_type), read once. */
    public Map<String, String> types(Connection c, String table) throws SQLException {
        Map<String, String> known = types.get(table);
        if (known != null) {
            return known;
        }
        Map<String, String> t = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                + "WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped ORDER BY attnum")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    t.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        types.put(table, t);
        return t;
    }

    public void forget() {
        types.clear();
    }
}
