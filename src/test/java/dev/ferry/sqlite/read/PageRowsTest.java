package dev.ferry.sqlite.read;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.ferry.demo.MarketStoreGenerator;
import dev.ferry.support.SqliteFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page reader against SQLite itself: on files built here with the odd corners of the
 * format (every integer width, REAL columns holding whole numbers as integers, overflow
 * pages, bad UTF-8, columns added later with defaults, deep b-trees of small pages),
 * every row and value, with its Java class, equals what sqlite-jdbc returns.
 */
class PageRowsTest {

    @TempDir
    Path work;

    private static final String[] VALUES = {
        "NULL", "0", "1", "-1", "127", "-128", "128", "32767", "-32768", "32768", "8388607", "-8388608", "8388608",
        "2147483647", "-2147483648", "2147483648", "140737488355327", "-140737488355328", "140737488355328",
        "9223372036854775807", "-9223372036854775808", "1.5", "-0.0", "3.0", "1e300", "''", "'abc'", "'größe €'",
        "x''", "x'00ff10'", "'2024-01-02'", "'12'", "printf('%.*c', 3000, 'x')", "zeroblob(70000)", "printf('%.*c', 200000, 'é')"};

    @Test
    void everyValueOfEveryColumnAffinityReadsAsSqliteGivesIt() throws Exception {
        Path file = SqliteFixture.create(work.resolve("values.db"),
                "CREATE TABLE t (i INTEGER, r REAL, d double precision, n NUMERIC, x TEXT, b BLOB, u, v varchar(10))");
        for (String v : VALUES) {
            SqliteFixture.exec(file, "INSERT INTO t VALUES (" + String.join(", ", List.of(v, v, v, v, v, v, v, v)) + ")");
        }
        byte[] bad = {(byte) 0xc3, (byte) 0x28, 'a'};
        SqliteFixture.exec(file, "INSERT INTO t (x, u) VALUES (cast(? AS text), cast(? AS text))", bad, bad);
        SqliteFixture.exec(file, "INSERT INTO t (x) VALUES (cast(? AS text))", "valid \uFFFD replacement char".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(pageReaderFor(file, "t")).isTrue();
        assertSameAsSqlite(file, "t");
    }

    @Test
    void anIntegerPrimaryKeyIsTheRowidAndRangesSplitTheTableExactly() throws Exception {
        Path file = SqliteFixture.create(work.resolve("deep.db"), "PRAGMA page_size = 512",
                "CREATE TABLE bars (id INTEGER PRIMARY KEY, ticker TEXT NOT NULL, close REAL, note TEXT)",
                "CREATE TABLE plain (ticker TEXT, qty INTEGER)",
                "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 20000) "
                        + "INSERT INTO bars SELECT k * 3, 'T' || (k % 97), k / 4.0, CASE WHEN k % 1000 = 0 THEN printf('%.*c', 2000, 'n') END FROM n",
                "DELETE FROM bars WHERE id % 7 = 0",
                "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 5000) INSERT INTO plain SELECT 'P' || k, k FROM n");

        assertThat(pageReaderFor(file, "bars")).isTrue();
        assertThat(pageReaderFor(file, "plain")).isTrue();
        assertSameAsSqlite(file, "bars");
        assertSameAsSqlite(file, "plain");
        SourceTable bars = table(file, "bars");
        List<Object[]> whole = read(file, bars, Long.MIN_VALUE, Long.MAX_VALUE, true);
        List<Object[]> pieces = new ArrayList<>();
        long[] bounds = {Long.MIN_VALUE, 5, 29_999, 30_000, 45_001, Long.MAX_VALUE};
        for (int i = 0; i + 1 < bounds.length; i++) {
            pieces.addAll(read(file, bars, bounds[i], bounds[i + 1], true));
        }
        assertThat(pieces).hasSameSizeAs(whole);
        for (int i = 0; i < whole.size(); i++) {
            assertThat(pieces.get(i)).as("row %d", i).containsExactly(whole.get(i));
        }
        assertThat(read(file, bars, 59_997, Long.MAX_VALUE, true)).extracting(r -> r[0]).containsExactly(60_000L);
    }

    @Test
    void columnsAddedLaterReadTheirDefaults() throws Exception {
        Path file = SqliteFixture.create(work.resolve("added.db"),
                "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)",
                "INSERT INTO t (a) VALUES ('before'), ('also before')",
                "ALTER TABLE t ADD COLUMN n INTEGER DEFAULT 7",
                "ALTER TABLE t ADD COLUMN s TEXT DEFAULT 'it''s'",
                "ALTER TABLE t ADD COLUMN r REAL DEFAULT 2",
                "ALTER TABLE t ADD COLUMN z DEFAULT NULL",
                "ALTER TABLE t ADD COLUMN neg INTEGER DEFAULT -5",
                "ALTER TABLE t ADD COLUMN f NUMERIC DEFAULT TRUE",
                "INSERT INTO t (a, n, s, r, z) VALUES ('after', 1, 'x', 0.5, x'01')");

        assertThat(pageReaderFor(file, "t")).as("plain literal defaults are read by the page reader").isTrue();
        assertSameAsSqlite(file, "t");
    }

    @Test
    void whatOnlySqliteCanReadFallsBackToIt() throws Exception {
        Path expr = SqliteFixture.create(work.resolve("expr.db"), "CREATE TABLE t (id INTEGER PRIMARY KEY)", "INSERT INTO t VALUES (1)",
                "ALTER TABLE t ADD COLUMN n INTEGER DEFAULT '5'");
        assertThat(pageReaderFor(expr, "t")).as("a text default in an INTEGER column").isFalse();
        assertSameAsSqlite(expr, "t");

        Path descending = SqliteFixture.create(work.resolve("desc.db"),
                "CREATE TABLE t (sym TEXT, ts INTEGER, px REAL, PRIMARY KEY (sym, ts DESC)) WITHOUT ROWID", "INSERT INTO t VALUES ('A', 1, 1.0), ('A', 2, 2.0)");
        assertThat(pageReaderFor(descending, "t")).as("a descending WITHOUT ROWID key: its b-tree order is not ORDER BY's").isFalse();
        assertSameAsSqlite(descending, "t");

        Path wal = SqliteFixture.create(work.resolve("wal.db"), "PRAGMA journal_mode = WAL", "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT)");
        try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + wal); Statement st = writer.createStatement()) {
            st.execute("PRAGMA wal_autocheckpoint = 0");
            st.execute("INSERT INTO t (a) VALUES ('only in the log')");
            assertThat(Files.size(wal.resolveSibling("wal.db-wal"))).isPositive();
            assertThat(pageReaderFor(wal, "t")).as("rows still in the write-ahead log").isFalse();
            SourceTable t = table(wal, "t");
            assertThat(read(wal, t, Long.MIN_VALUE, Long.MAX_VALUE, true)).extracting(r -> r[2]).containsExactly("only in the log");
        }
    }

    @Test
    void expressionDefaultsAutoincrementAndGeneratedColumnsReadFromThePages() throws Exception {
        Path file = SqliteFixture.create(work.resolve("kinds.db"), "PRAGMA page_size = 1024",
                "CREATE TABLE bars (id INTEGER PRIMARY KEY AUTOINCREMENT, sym TEXT NOT NULL, close REAL,"
                        + " created_at TEXT DEFAULT CURRENT_TIMESTAMP, day TEXT DEFAULT (date('now')), n INTEGER DEFAULT (1 + 1),"
                        + " mid REAL GENERATED ALWAYS AS (close / 2) VIRTUAL, label TEXT GENERATED ALWAYS AS (sym || ':' || id) STORED,"
                        + " note TEXT)",
                "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 3000) "
                        + "INSERT INTO bars (sym, close, note) SELECT 'S' || (i % 13), i * 0.25, CASE WHEN i % 500 = 0 THEN printf('%.*c', 3000, 'n') END FROM k",
                "DELETE FROM bars WHERE id % 11 = 0",
                "ALTER TABLE bars ADD COLUMN venue TEXT DEFAULT 'XNSE'",
                "INSERT INTO bars (sym, close, venue) VALUES ('late', 1.5, 'BATS')");

        assertThat(pageReaderFor(file, "bars")).as("defaults that are expressions, AUTOINCREMENT, generated columns").isTrue();
        assertSameAsSqlite(file, "bars");
        assertThat(table(file, "bars").warnings()).as("generated columns are named, never dropped silently")
                .anyMatch(w -> w.contains("generated column mid (VIRTUAL)")).anyMatch(w -> w.contains("generated column label (STORED)"));
    }

    @Test
    void withoutRowidTablesReadInKeyOrderAndResumeByRowCount() throws Exception {
        Path file = SqliteFixture.create(work.resolve("keyed.db"), "PRAGMA page_size = 512",
                "CREATE TABLE quotes (venue TEXT, sym TEXT NOT NULL, ts INTEGER NOT NULL, bid REAL, ask REAL, raw BLOB,"
                        + " PRIMARY KEY (sym, ts)) WITHOUT ROWID",
                "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 8000) "
                        + "INSERT INTO quotes SELECT 'V' || (i % 3), 'SYM' || (i % 37), i * 7, i / 8.0, i / 8.0 + 0.5,"
                        + " CASE WHEN i % 700 = 0 THEN zeroblob(2500) ELSE x'0102' END FROM k",
                "DELETE FROM quotes WHERE ts % 9 = 0",
                "CREATE TABLE tags (tag TEXT PRIMARY KEY, weight INTEGER) WITHOUT ROWID",
                "INSERT INTO tags VALUES ('b', 2), ('a', 1), ('" + "z".repeat(400) + "', 3), ('c', 4)",
                "ALTER TABLE tags ADD COLUMN kind TEXT DEFAULT 'plain'",
                "INSERT INTO tags VALUES ('d', 5, 'late')");

        assertThat(pageReaderFor(file, "quotes")).isTrue();
        assertThat(pageReaderFor(file, "tags")).isTrue();
        assertSameAsSqlite(file, "quotes");
        assertSameAsSqlite(file, "tags");
        SourceTable quotes = table(file, "quotes");
        List<Object[]> viaSqlite = read(file, quotes, 0, Long.MAX_VALUE, false);
        for (long after : new long[] {1, 999, 4_000, viaSqlite.size() - 1L, viaSqlite.size()}) {
            List<Object[]> rest = read(file, quotes, after, Long.MAX_VALUE, true);
            assertThat(rest).as("resumed after %d rows", after).hasSize(viaSqlite.size() - (int) after);
            if (!rest.isEmpty()) {
                assertThat(rest.get(0)).as("the row after %d", after).containsExactly(viaSqlite.get((int) after));
            }
        }
    }

    @Test
    void theGeneratedMarketStoreReadsFromItsPagesAsSqliteGivesIt() throws Exception {
        Path file = new MarketStoreGenerator().ohlcvRows(30_000).write(work.resolve("market.db"));
        int compared = 0;
        for (SourceTable t : new SqliteSource(file).tables()) {
            if (t.view() || countRows(file, t.name()) == 0) {
                continue;
            }
            assertThat(pageReaderFor(file, t.name())).as(t.name()).isTrue();
            assertSameAsSqlite(file, t.name());
            compared++;
        }
        assertThat(compared).as("tables with rows").isEqualTo(8);
    }

    private static long countRows(Path file, String name) throws SQLException {
        SqliteSource source = new SqliteSource(file);
        try (Connection c = source.open()) {
            return source.count(c, table(file, name));
        }
    }

    private void assertSameAsSqlite(Path file, String name) throws Exception {
        SourceTable t = table(file, name);
        List<Object[]> expected = read(file, t, Long.MIN_VALUE, Long.MAX_VALUE, false);
        List<Object[]> actual = read(file, t, Long.MIN_VALUE, Long.MAX_VALUE, true);
        assertThat(actual).as("rows of " + name).hasSameSizeAs(expected).isNotEmpty();
        for (int i = 0; i < expected.size(); i++) {
            Object[] e = expected.get(i);
            Object[] a = actual.get(i);
            for (int c = 0; c < e.length; c++) {
                String where = name + " row " + i + " column " + (c == 0 ? "(position)" : t.columns().get(c - 1).name());
                if (e[c] == null) {
                    assertThat(a[c]).as(where).isNull();
                    continue;
                }
                assertThat(a[c]).as(where).isNotNull();
                assertThat(a[c].getClass()).as(where + " class").isEqualTo(e[c].getClass());
                assertThat(Arrays.deepEquals(new Object[] {a[c]}, new Object[] {e[c]})).as(where + ": " + e[c] + " vs " + a[c]).isTrue();
            }
        }
    }

    private static SourceTable table(Path file, String name) throws SQLException {
        return new SqliteSource(file).tables().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }

    private static boolean pageReaderFor(Path file, String name) throws SQLException {
        SqliteSource source = new SqliteSource(file, true);
        try (Connection c = source.open(); Rows rows = source.rows(c, table(file, name), Long.MIN_VALUE, Long.MAX_VALUE, null, List.of())) {
            return rows instanceof PageRows;
        }
    }

    /** Rows with the rowid (position) first, through the page reader or through sqlite-jdbc. */
    private static List<Object[]> read(Path file, SourceTable t, long after, long upTo, boolean pages) throws SQLException {
        SqliteSource source = new SqliteSource(file, pages);
        List<Object[]> out = new ArrayList<>();
        try (Connection c = source.open(); Rows rows = source.rows(c, t, after, upTo, null, List.of())) {
            Object[] r;
            while ((r = rows.next()) != null) {
                Object[] withKey = new Object[r.length + 1];
                withKey[0] = rows.position();
                System.arraycopy(r, 0, withKey, 1, r.length);
                out.add(withKey);
            }
        }
        return out;
    }
}
