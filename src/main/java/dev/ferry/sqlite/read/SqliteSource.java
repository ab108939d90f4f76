package dev.ferry.sqlite.read;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * A SQLite file opened read-only: its schema (tables, views, columns, declared types,
 * primary keys, unique and plain indexes, foreign keys) as SQLite's own pragmas tell it.
 * Never writes to the file, so a live application may keep using it.
 */
public final class SqliteSource {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteSource.class);

    private final Path file;
    private final boolean pageReader;
    private final Map<String, String> readers = new java.util.concurrent.ConcurrentHashMap<>();

    public SqliteSource(Path file) {
        this(file, true);
    }

    /** With {@code pageReader} false every table goes through sqlite-jdbc ({@code ferry.sqlite.page-reader}). */
    public SqliteSource(Path file, boolean pageReader) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such SQLite file: " + file);
        }
        try {
            if (Files.size(file) == 0) {
                // SQLite opens an empty file as a database with no tables, and the migration would "complete" with nothing
                throw new IllegalArgumentException(file.getFileName() + " is empty (0 bytes): not a SQLite database, nothing to migrate");
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        this.file = file.toAbsolutePath().normalize();
        this.pageReader = pageReader;
    }

    /**
     * The rows of {@code t} with rowid in ({@code after}, {@code upTo}] (and matching the extra
     * condition): read from the file's pages when the table allows it, else through SQLite.
     */
    public Rows rows(Connection c, SourceTable t, long after, long upTo, String extraCondition, List<Object> extraParams) throws SQLException {
        String why = !pageReader ? "ferry.sqlite.page-reader is off" : extraCondition != null ? "a sync selects changed rows by a condition" : null;
        if (why == null) {
            StringBuilder whyNot = new StringBuilder();
            var pages = PageRows.open(file, c, t, after, upTo, whyNot);
            if (pages.isPresent()) {
                readers.putIfAbsent(t.name(), "pages");
                return pages.get();
            }
            why = whyNot.toString();
        }
        if (readers.putIfAbsent(t.name(), "SQLite (" + why + ")") == null && pageReader) {
            LOG.info("Reading {} through SQLite, not from its pages: {}", t.name(), why);
        }
        return new RowSource(c, t, after, upTo, extraCondition, extraParams);
    }

    /** How this source read {@code table}: "pages", or "SQLite (why)"; null if it has not read it. */
    public String reader(String table) {
        return readers.get(table);
    }

    /**
     * Every row of {@code t} through SQLite's own engine, never from the pages: what the validation
     * compares against, so that a fault in the page reader cannot hide behind its own numbers.
     */
    public Rows engineRows(Connection c, SourceTable t) throws SQLException {
        return new RowSource(c, t, Long.MIN_VALUE, Long.MAX_VALUE, null, List.of());
    }

    public Path file() {
        return file;
    }

    /** SQLite's primary result codes that say the file, not Ferry, is the problem. */
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;

    /** Whether opening the file failed only because another connection holds it locked: the file may well be fine. */
    public static boolean locked(SQLException e) {
        int code = e.getErrorCode() & 0xff;
        return code == SQLITE_BUSY || code == SQLITE_LOCKED;
    }

    /**
     * What a user should read when SQLite refuses the whole file: the file named and SQLite's words
     * said plainly, instead of "[SQLITE_NOTADB] File opened that is not a database file" alone.
     */
    public static String whyUnreadable(Path file, SQLException e) {
        String name = file.getFileName().toString();
        String sqlite = " (SQLite: " + e.getMessage() + ")";
        return switch (e.getErrorCode() & 0xff) {
            case SQLITE_NOTADB -> name + " is not a SQLite database: its first bytes are not SQLite's header, and an encrypted database "
                    + "(SQLCipher and the like) looks the same" + sqlite + "; nothing was migrated";
            case SQLITE_CORRUPT -> name + " is damaged, e.g. truncated or partly copied" + sqlite + "; nothing was migrated; "
                    + "`sqlite3 " + name + " .recover` may save what is left";
            case SQLITE_BUSY, SQLITE_LOCKED -> name + " is locked by another connection and stayed locked for the 10 s Ferry waits" + sqlite
                    + "; nothing was migrated; drop it again once the application holding it has let go";
            default -> name + ": SQLite cannot read it" + sqlite + "; nothing was migrated";
        };
    }

    /** A new read-only connection; each table's reader has its own, so tables read in parallel. */
    public Connection open() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setOpenMode(SQLiteOpenMode.READONLY);
        // one reader may stream for minutes while the owning application keeps writing (WAL files)
        config.setBusyTimeout(10_000);
        return DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
    }

    /** Every table and view, in the file's own order; SQLite's internal tables are left out. */
    public List<SourceTable> tables() throws SQLException {
        List<SourceTable> out = new ArrayList<>();
        try (Connection c = open()) {
            Map<String, String> objects = new LinkedHashMap<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') "
                         + "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid")) {
                while (rs.next()) {
                    objects.put(rs.getString(1), rs.getString(2));
                }
            }
            for (var e : objects.entrySet()) {
                out.add(read(c, e.getKey(), e.getValue().equals("view")));
            }
        }
        return out;
    }

    private static SourceTable read(Connection c, String name, boolean view) throws SQLException {
        List<SourceColumn> columns = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<Integer, String> pk = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2) == null ? "" : rs.getString(2).strip();
                    columns.add(new SourceColumn(rs.getString(1), type, rs.getBoolean(3), rs.getInt(4)));
                    if (rs.getInt(4) > 0) {
                        pk.put(rs.getInt(4), rs.getString(1));
                    }
                }
            }
        }
        if (!view) {
            // SQLite's own table_info leaves generated columns out, so they would vanish without a word
            try (PreparedStatement ps = c.prepareStatement("SELECT name, hidden FROM pragma_table_xinfo(?) WHERE hidden IN (2, 3) ORDER BY cid")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        warnings.add("generated column " + rs.getString(1) + " (" + (rs.getInt(2) == 2 ? "VIRTUAL" : "STORED")
                                + ") not copied: SQLite computes it from the columns that are; define it in PostgreSQL if it is needed there");
                    }
                }
            }
        }
        List<SourceIndex> indexes = new ArrayList<>();
        List<SourceForeignKey> fks = new ArrayList<>();
        boolean hasRowid = !view;
        if (!view) {
            indexes = indexes(c, name, warnings);
            fks = foreignKeys(c, name);
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT rowid FROM " + quote(name) + " LIMIT 0").close();
            } catch (SQLException e) {
                hasRowid = false; // WITHOUT ROWID
            }
        }
        return new SourceTable(name, view, hasRowid, columns, List.copyOf(pk.values()), indexes, fks, warnings);
    }

    private static List<SourceIndex> indexes(Connection c, String table, List<String> warnings) throws SQLException {
        List<SourceIndex> out = new ArrayList<>();
        List<String[]> list = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT name, \"unique\", origin, partial FROM pragma_index_list(?) ORDER BY seq DESC")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    list.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        for (String[] ix : list) {
            if ("pk".equals(ix[2])) {
                continue; // the primary key is created as such
            }
            if ("1".equals(ix[3])) {
                warnings.add("partial index " + ix[0] + " not copied");
                continue;
            }
            List<String> cols = new ArrayList<>();
            boolean expression = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM pragma_index_info(?) ORDER BY seqno")) {
                ps.setString(1, ix[0]);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (rs.getString(1) == null) {
                            expression = true;
                        }
                        cols.add(rs.getString(1));
                    }
                }
            }
            if (expression) {
                warnings.add("expression index " + ix[0] + " not copied");
                continue;
            }
            out.add(new SourceIndex(ix[0], "1".equals(ix[1]), cols));
        }
        return out;
    }

    private static List<SourceForeignKey> foreignKeys(Connection c, String table) throws SQLException {
        Map<Integer, SourceForeignKey> byId = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?) ORDER BY id, seq")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SourceForeignKey fk = byId.computeIfAbsent(rs.getInt(1),
                            id -> new SourceForeignKey(new ArrayList<>(), rethrow(rs, 2), new ArrayList<>()));
                    fk.columns().add(rs.getString(3));
                    if (rs.getString(4) != null) {
                        fk.parentColumns().add(rs.getString(4));
                    }
                }
            }
        }
        return new ArrayList<>(byId.values());
    }

    private static String rethrow(ResultSet rs, int col) {
        try {
            return rs.getString(col);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** Rows in the table (or view): the size progress and the error threshold are measured against. */
    public long count(Connection c, SourceTable t) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + quote(t.name()))) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
