package dev.ferry.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.settings.FerrySettings;
import dev.ferry.settings.MappingFile;
import dev.ferry.sqlite.convert.CastRules;
import dev.ferry.sqlite.convert.MigrationMapping;
import dev.ferry.sqlite.convert.RowConverter;
import dev.ferry.sqlite.convert.TablePlan;
import dev.ferry.sqlite.convert.TablePlanner;
import dev.ferry.sqlite.read.SourceTable;
import dev.ferry.sqlite.read.SqliteSource;
import dev.ferry.sqlite.report.MigrationResult;
import dev.ferry.sqlite.report.TableResult;
import dev.ferry.sqlite.state.SqliteRunState;
import dev.ferry.sqlite.validate.TableValidator;
import dev.ferry.sqlite.validate.ValidationResult;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.SqliteFixture;
import org.junit.jupiter.api.Test;

/**
 * The SQLite migration through its route, on SQLite files built here and the real
 * PostgreSQL. Each test writes to a schema of its own. Batches of 3 rows, so every
 * table of more than three rows goes through several commits and checkpoints.
 */
class SqliteMigrationTest extends FerryTestSupport {

    @Override
    protected Map<String, String> extraSettings() {
        return Map.of("ferry.sqlite.batch-rows", "3", "ferry.sqlite.max-reject-ratio", "0.5");
    }

    private MigrationResult migrate(Path file, String schema, Object... more) {
        Map<String, Object> h = new HashMap<>(Map.of("FerrySqliteFile", file.toString(), "FerryTargetSchema", schema));
        for (int i = 0; i < more.length; i += 2) {
            h.put((String) more[i], more[i + 1]);
        }
        return ferry.template().requestBodyAndHeaders("direct:sqlite-migrate", null, h, MigrationResult.class);
    }

    private Path market(String name) {
        return SqliteFixture.create(work.resolve(name),
                "CREATE TABLE exchanges (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, is_open INTEGER)",
                "CREATE TABLE tickers (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL, exchange_id INTEGER REFERENCES exchanges(id),"
                        + " is_etf INTEGER, listed_at INTEGER, last_updated TEXT, info_json TEXT, UNIQUE (symbol, exchange_id))",
                "CREATE TABLE ohlcv_data (id INTEGER PRIMARY KEY, ticker_id INTEGER NOT NULL REFERENCES tickers(id), region TEXT,"
                        + " timeframe TEXT, date TEXT, open REAL, close double precision, volume int(5), UNIQUE (ticker_id, region, timeframe, date))",
                "CREATE INDEX ohlcv_date ON ohlcv_data (date)",
                "CREATE TABLE etf_holdings (etf_id INTEGER REFERENCES tickers(id), holding TEXT, rank INTEGER, weight NUMERIC(9,4))",
                "INSERT INTO exchanges VALUES (1, 'NSE', 1), (2, 'NYSE', 0)",
                "INSERT INTO tickers VALUES (1, 'TCS', 1, 0, 1761643500, '2025-10-28 09:15:00', '{\"sector\": \"IT\"}'),"
                        + " (2, 'AAPL', 2, 0, 1761643500, '2025-10-28T15:30:00Z', NULL), (3, 'SPY', 2, 1, NULL, NULL, '[]')",
                "INSERT INTO ohlcv_data (ticker_id, region, timeframe, date, open, close, volume) VALUES"
                        + " (1, 'IN', '1d', '2025-10-27', 3850.5, 3861.25, 1200), (1, 'IN', '1d', '2025-10-28', 3861.25, 3870, 900),"
                        + " (2, NULL, '1d', '2025-10-27', 268.1, 269.7, 50000), (2, 'US', '1d', '2025-10-28', 269.7, 270.2, 42000),"
                        + " (3, 'US', '1d', '2025-10-28', 580.0, 581.5, 70000)",
                "INSERT INTO etf_holdings VALUES (3, 'AAPL', 1, 7.1234), (3, 'MSFT', 2, 6.5), (3, 'NVDA', 3, 6.25)");
    }

    @Test
    void aMarketStoreLandsTypedRenamedFilledIndexedAndValidated() {
        Path file = market("market.db");

        MigrationResult r = migrate(file, "m1");

        assertThat(r.getRun().getStatus()).as(r.getRun().summaryLine()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.getValidation().isOk()).as("validation").isTrue();
        assertThat(r.getTables()).extracting(t -> t.table).containsExactly("exchanges", "tickers", "ohlcv_data", "etf_holdings");
        assertThat(db.text("""
                SELECT string_agg(table_name || '.' || column_name || ' ' || data_type, ', ' ORDER BY table_name, ordinal_position)
                FROM information_schema.columns WHERE table_schema = 'm1'""")).isEqualTo(String.join(", ",
                "etf_holdings.etf_id bigint", "etf_holdings.holding text", "etf_holdings.rank_in_etf bigint", "etf_holdings.weight numeric",
                "exchanges.id bigint", "exchanges.code text", "exchanges.is_open boolean",
                "ohlcv_data.id bigint", "ohlcv_data.ticker_id bigint", "ohlcv_data.region text", "ohlcv_data.timeframe text",
                "ohlcv_data.date date", "ohlcv_data.open double precision", "ohlcv_data.close double precision", "ohlcv_data.volume bigint",
                "tickers.id bigint", "tickers.symbol text", "tickers.exchange_id bigint", "tickers.is_etf boolean",
                "tickers.listed_at timestamp with time zone", "tickers.last_updated timestamp with time zone", "tickers.info_json jsonb"));
        assertThat(db.text("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'm1.etf_holdings'::regclass AND attname = 'weight'"))
                .isEqualTo("numeric(9,4)");
        assertThat(db.count("SELECT count(*) FROM m1.ohlcv_data WHERE region = 'US' AND ticker_id = 2")).as("the NULL region filled in").isEqualTo(2);
        assertThat(db.text("SELECT listed_at::text FROM m1.tickers WHERE id = 1")).isEqualTo("2025-10-28 09:25:00+00");
        assertThat(db.text("SELECT info_json ->> 'sector' FROM m1.tickers WHERE id = 1")).isEqualTo("IT");
        assertThat(db.text("SELECT string_agg(rank_in_etf::text, ',' ORDER BY rank_in_etf) FROM m1.etf_holdings")).isEqualTo("1,2,3");
        assertThat(db.text("""
                SELECT string_agg(indexname, ', ' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'm1' AND tablename = 'ohlcv_data'"""))
                .isEqualTo("ohlcv_data_pkey, ohlcv_data_ticker_id_region_timeframe_date_key, ohlcv_date");
        assertThat(db.text("""
                SELECT string_agg(conrelid::regclass || ' ' || convalidated, ', ' ORDER BY conrelid::regclass::text)
                FROM pg_constraint WHERE contype = 'f' AND connamespace = 'm1'::regnamespace"""))
                .isEqualTo("m1.etf_holdings true, m1.ohlcv_data true, m1.tickers true");
        // SQLite's rowid aliases become identity columns that continue after the loaded ids
        db.execute("INSERT INTO m1.exchanges (code) VALUES ('LSE')");
        assertThat(db.count("SELECT id FROM m1.exchanges WHERE code = 'LSE'")).isEqualTo(3);
        assertThat(db.text("SELECT flow || ' ' || status || ' ' || records_read || ' ' || loaded || ' ' || rejected FROM ferry.runs WHERE id = "
                + r.getRun().getRunId())).isEqualTo("sqlite completed 13 13 0");
        assertThat(db.count("SELECT count(*) FROM ferry.sqlite_tables WHERE run_id = " + r.getRun().getRunId() + " AND created AND status = 'loaded'"))
                .isEqualTo(4);
    }

    @Test
    void aLiveStoreInWalModeLoadsAndValidatesOneSnapshotWhileItsApplicationWrites() throws Exception {
        Path file = SqliteFixture.create(work.resolve("wal-store.db"), "PRAGMA journal_mode = WAL",
                "CREATE TABLE tickers (id INTEGER PRIMARY KEY AUTOINCREMENT, symbol TEXT NOT NULL, created_at TEXT DEFAULT CURRENT_TIMESTAMP)",
                "CREATE TABLE bars (id INTEGER PRIMARY KEY AUTOINCREMENT, ticker_id INTEGER NOT NULL REFERENCES tickers(id), close REAL,"
                        + " created_at TEXT DEFAULT (datetime('now')))",
                "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 300) INSERT INTO tickers (symbol) SELECT 'T' || i FROM k",
                "INSERT INTO bars (ticker_id, close) SELECT id, id * 1.5 FROM tickers");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong commits = new AtomicLong();
        AtomicReference<Exception> failed = new AtomicReference<>();
        // the application: a ticker and its first bar in one transaction, every 2 ms, all through the migration
        Thread writer = new Thread(() -> {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout = 10000");
                c.setAutoCommit(false);
                while (!stop.get()) {
                    st.execute("INSERT INTO tickers (symbol) VALUES ('live')");
                    st.execute("INSERT INTO bars (ticker_id, close) VALUES (last_insert_rowid(), 1.25)");
                    c.commit();
                    commits.incrementAndGet();
                    Thread.sleep(2);
                }
            } catch (Exception e) {
                failed.set(e);
            }
        });
        writer.start();
        while (commits.get() < 20 && failed.get() == null) {
            Thread.sleep(5);
        }

        MigrationResult r = migrate(file, "walstore");
        long afterRun = commits.get();
        stop.set(true);
        writer.join();

        assertThat(failed.get()).as("the application's writes during the migration").isNull();
        assertThat(r.getRun().getStatus()).as(r.getRun().summaryLine()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.getValidation().isOk()).as("the validation compares against the same snapshot the load read").isTrue();
        assertThat(r.getSnapshot()).as("why a snapshot was read").containsIgnoringCase("wal");
        assertThat(r.getTables()).extracting(t -> t.reader).containsOnly("pages");
        long tickers = db.count("SELECT count(*) FROM walstore.tickers");
        assertThat(db.count("SELECT count(*) FROM walstore.bars")).as("both tables from one commit: every ticker with its bar").isEqualTo(tickers);
        assertThat(tickers).as("rows the application wrote before the snapshot are in").isGreaterThanOrEqualTo(320);
        assertThat(afterRun).as("the application kept committing while the run went on").isGreaterThan(tickers - 300);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM tickers")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the store itself went on growing").isGreaterThan(tickers);
        }
        try (var left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(left.map(f -> f.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("ferry-" + ProcessHandle.current().pid() + "-snapshot-"));
        }
    }

    @Test
    void aTableWiderThanPostgresAllowsAndADamagedTableFailAloneWithTheirReason() throws Exception {
        StringBuilder wide = new StringBuilder("CREATE TABLE wide (c0 INTEGER");
        for (int i = 1; i < 1700; i++) {
            wide.append(", c").append(i).append(" INTEGER");
        }
        Path file = SqliteFixture.create(work.resolve("odd.db"), "PRAGMA page_size = 1024", wide.append(')').toString(),
                "INSERT INTO wide (c0, c1) VALUES (1, 2)",
                "CREATE TABLE fine (id INTEGER PRIMARY KEY, a TEXT)", "INSERT INTO fine VALUES (1, 'kept'), (2, 'also kept')",
                "CREATE TABLE hurt (id INTEGER PRIMARY KEY, a TEXT)",
                "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 3000) INSERT INTO hurt SELECT i, printf('%.*c', 40, 'h') FROM k");
        // the root of hurt's b-tree overwritten with junk, as a bad sector would leave it
        SqliteFixture.damageRootPage(file, "hurt", 1024);

        MigrationResult r = migrate(file, "odd");

        assertThat(r.getRun().getStatus()).isEqualTo(RunStatus.FAILED);
        assertThat(r.table("wide").status).isEqualTo("failed");
        assertThat(r.table("wide").message).contains("1,700 columns").contains("at most 1,600");
        assertThat(r.table("hurt").status).isEqualTo("failed");
        assertThat(r.table("hurt").message).contains("cannot read it from the SQLite file").contains("damaged").contains(".recover");
        assertThat(r.table("fine").status).as("the other tables still load").isEqualTo("loaded");
        assertThat(db.count("SELECT count(*) FROM odd.fine")).isEqualTo(2);
        assertThat(r.getRun().getMessage()).contains("wide").contains("hurt");
    }

    @Test
    void anySqliteFileLoadsAndItsBadRowsAreRejectedWithTheirReason() {
        String longName = "a_table_name_that_is_much_longer_than_the_sixty_three_bytes_postgresql_allows";
        Path file = SqliteFixture.create(work.resolve("quirks.db"),
                "CREATE TABLE \"Order Lines\" (\"Select\" TEXT, \"MixedCase\" INTEGER, \"user\" TEXT)",
                "INSERT INTO \"Order Lines\" VALUES ('a', 1, 'x'), ('b', 2, 'y')",
                "CREATE TABLE " + longName + " (" + longName + "_column INTEGER)",
                "INSERT INTO " + longName + " VALUES (1), (2)",
                "CREATE TABLE prices (id INTEGER PRIMARY KEY, qty INTEGER, note TEXT)",
                "INSERT INTO prices VALUES (1, 10, 'ok'), (2, 'abc', 'not a number'), (3, 30, 'ok'), (4, 40, 'ok'), (5, 50, 'ok')",
                "CREATE TABLE no_key (a TEXT, b REAL)",
                "INSERT INTO no_key VALUES ('x', 1.5), ('x', 1.5), (NULL, NULL)",
                "CREATE TABLE empty_table (id INTEGER PRIMARY KEY, v TEXT)",
                "CREATE TABLE ohlcv_data (ticker TEXT, region TEXT, date TEXT, close REAL, UNIQUE (ticker, region, date))",
                "INSERT INTO ohlcv_data VALUES ('AAPL', 'US', '2025-10-28', 1), ('AAPL', NULL, '2025-10-28', 2), ('MSFT', NULL, '2025-10-28', 3)",
                "CREATE VIEW cheap AS SELECT * FROM prices WHERE qty < 20");
        SqliteFixture.exec(file, "INSERT INTO prices VALUES (6, 60, cast(? AS text))", (Object) new byte[] {'b', 'a', 'd', (byte) 0xc3, 0x28});

        MigrationResult r = migrate(file, "m2");

        assertThat(r.getRun().getStatus()).as(r.getRun().summaryLine()).isEqualTo(RunStatus.COMPLETED_WITH_REJECTS);
        assertThat(r.getValidation().isOk()).as("validation (rejected rows left out of the source side)").isTrue();
        assertThat(db.count("SELECT count(*) FROM m2.\"Order Lines\" WHERE \"Select\" = 'a' AND \"MixedCase\" = 1 AND \"user\" = 'x'")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'm2' AND table_name LIKE 'a_table_name_that_is_much_%'"))
                .isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM m2.no_key")).isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM m2.empty_table")).isZero();
        assertThat(db.count("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'm2' AND table_name = 'cheap'")).isZero();
        assertThat(r.table("cheap").status).isEqualTo("view, not copied");
        assertThat(r.getWarnings()).anyMatch(w -> w.contains("view cheap"));
        assertThat(db.text("SELECT string_agg(id::text, ',' ORDER BY id) FROM m2.prices")).isEqualTo("1,3,4,5");
        assertThat(db.text("SELECT string_agg(ticker || ' ' || close, ',' ORDER BY ticker) FROM m2.ohlcv_data")).isEqualTo("AAPL 1,MSFT 3");
        assertThat(db.text("""
                SELECT string_agg(source_table || ' ' || source_key || ' ' || coalesce(column_name, '-') || ': ' || reason, '; ' ORDER BY source_table, id)
                FROM ferry.sqlite_rejects WHERE run_id = """ + r.getRun().getRunId())).isEqualTo(String.join("; ",
                "ohlcv_data rowid=2 -: unique violation: repeats the key (ticker, region, date) of an earlier row",
                "prices id=2 qty: not an integer: 'abc'",
                "prices id=6 note: invalid UTF-8"));
        TableResult prices = r.table("prices");
        assertThat(new long[] {prices.read, prices.loaded, prices.rejected}).containsExactly(6, 4, 2);
    }

    @Test
    void aSumKeptWhileLoadingIsNotTrustedWhenItCountsFewerRowsThanSqliteHas() throws Exception {
        Path file = SqliteFixture.create(work.resolve("recount.db"),
                "CREATE TABLE bars (id INTEGER PRIMARY KEY, close REAL)", "INSERT INTO bars VALUES (1, 1.5), (2, 2.5), (3, 3.5)");
        assertThat(migrate(file, "m9").getValidation().isOk()).isTrue();
        db.execute("DELETE FROM m9.bars WHERE id = 2");
        FerrySettings settings = ferry.context().getRegistry().lookupByNameAndType("ferrySettings", FerrySettings.class);
        TablePlanner planner = new TablePlanner(CastRules.load(settings.mappingsDir()),
                MigrationMapping.of(MappingFile.load(settings.mappingsDir(), "sqlite.properties")));
        SqliteSource source = new SqliteSource(file, true);
        SourceTable bars = source.tables().stream().filter(t -> t.name().equals("bars")).findFirst().orElseThrow();
        try (Connection pg = db.connect()) {
            TablePlan plan = planner.plan(pg, bars, "m9");
            // what a reader that skipped row 2 would have summed while loading: exactly what the target holds
            BigInteger skipped = new BigInteger(db.text("SELECT sum(" + TableValidator.rowHashSql(plan.columns()) + ")::text FROM m9.bars t"));

            ValidationResult.TableCheck check = new TableValidator(source).check(pg, plan, new RowConverter(plan.columns(), ZoneId.of("UTC")),
                    Set.of(), skipped, 2);

            assertThat(check.ok()).isFalse();
            assertThat(new long[] {check.sourceRows, check.targetRows}).containsExactly(3, 2);
            assertThat(check.onlyInSource).singleElement().asString().startsWith("id=2:");
        }
    }

    @Test
    void aTableWithMoreBadRowsThanTheThresholdFails() {
        Path file = SqliteFixture.create(work.resolve("bad.db"),
                "CREATE TABLE good (id INTEGER PRIMARY KEY)", "INSERT INTO good VALUES (1), (2)",
                "CREATE TABLE bad (id INTEGER PRIMARY KEY, n INTEGER)",
                "INSERT INTO bad VALUES (1, 'x'), (2, 'y'), (3, 'z'), (4, 4)");

        MigrationResult r = migrate(file, "m3");

        assertThat(r.getRun().getStatus()).isEqualTo(RunStatus.FAILED);
        assertThat(r.table("bad").status).isEqualTo("failed");
        assertThat(r.table("bad").message).contains("exceed the threshold of 2");
        assertThat(r.table("good").status).isEqualTo("loaded");
        assertThat(db.count("SELECT count(*) FROM m3.good")).isEqualTo(2);
    }

    @Test
    void conflictStrategiesDecideAboutRowsAlreadyInTheTarget() {
        Path file = SqliteFixture.create(work.resolve("conflicts.db"),
                "CREATE TABLE quotes (symbol TEXT PRIMARY KEY, price REAL, is_live INTEGER)",
                "INSERT INTO quotes VALUES ('TCS', 3900.5, 1), ('INFY', 1500, 0), ('SBIN', 800.25, 1), ('HDFC', 1600, 1)");
        for (String s : new String[] {"cskip", "cupdate", "cfail"}) {
            db.execute("CREATE SCHEMA " + s + "; CREATE TABLE " + s + ".quotes (symbol text PRIMARY KEY, price numeric NOT NULL, is_live boolean,"
                    + " note text DEFAULT 'platform'); INSERT INTO " + s + ".quotes VALUES ('TCS', 3800, false, 'mine'), ('INFY', 1500, false, 'same')");
        }

        MigrationResult skip = migrate(file, "cskip", "FerryConflict", "skip");
        MigrationResult update = migrate(file, "cupdate", "FerryConflict", "update");
        MigrationResult fail = migrate(file, "cfail", "FerryConflict", "fail");

        assertThat(db.text("SELECT string_agg(symbol || ' ' || price || ' ' || is_live || ' ' || note, ', ' ORDER BY symbol) FROM cskip.quotes"))
                .isEqualTo("HDFC 1600 true platform, INFY 1500 false same, SBIN 800.25 true platform, TCS 3800 false mine");
        TableResult s = skip.getTables().get(0);
        assertThat(new long[] {s.read, s.loaded, s.updated, s.skipped}).containsExactly(4, 2, 0, 2);
        assertThat(skip.getValidation().isOk()).as("the target kept its own TCS: it differs from the source").isFalse();
        assertThat(skip.getValidation().getTables().get(0).onlyInTarget).anyMatch(row -> row.startsWith("TCS|3800|f"));

        assertThat(db.text("SELECT string_agg(symbol || ' ' || price || ' ' || is_live || ' ' || note, ', ' ORDER BY symbol) FROM cupdate.quotes"))
                .isEqualTo("HDFC 1600 true platform, INFY 1500 false same, SBIN 800.25 true platform, TCS 3900.5 true mine");
        TableResult u = update.getTables().get(0);
        assertThat(new long[] {u.read, u.loaded, u.updated, u.skipped}).as("INFY is identical: not rewritten").containsExactly(4, 2, 1, 1);
        assertThat(update.getValidation().isOk()).isTrue();

        assertThat(fail.getRun().getStatus()).isEqualTo(RunStatus.FAILED);
        assertThat(fail.getTables().get(0).message).contains("Key (symbol)=(");
        assertThat(db.count("SELECT count(*) FROM cfail.quotes")).as("the failing batch left nothing").isEqualTo(2);
    }

    @Test
    void rollbackRestoresOverwrittenRowsDeletesInsertedOnesAndDropsCreatedTables() {
        Path file = SqliteFixture.create(work.resolve("rollback.db"),
                "CREATE TABLE quotes (symbol TEXT PRIMARY KEY, price REAL)",
                "INSERT INTO quotes VALUES ('TCS', 3900.5), ('INFY', 1500), ('SBIN', 800.25), ('HDFC', 1600), ('ITC', 420)",
                "CREATE TABLE news (id INTEGER PRIMARY KEY, title TEXT)", "INSERT INTO news VALUES (1, 'up'), (2, 'down')");
        db.execute("CREATE SCHEMA rb; CREATE TABLE rb.quotes (symbol text PRIMARY KEY, price numeric, note text);"
                + " INSERT INTO rb.quotes VALUES ('TCS', 3800, 'mine'), ('WIPRO', 250, 'untouched')");
        String before = db.text("SELECT string_agg(q::text, ';' ORDER BY symbol) FROM rb.quotes q");

        MigrationResult run = migrate(file, "rb", "FerryConflict", "update");
        assertThat(run.getRun().getStatus()).as(run.getRun().summaryLine()).isEqualTo(RunStatus.COMPLETED);
        assertThat(db.text("SELECT price::text FROM rb.quotes WHERE symbol = 'TCS'")).isEqualTo("3900.5");

        RunResult rb = ferry.template().requestBodyAndHeaders("direct:rollback-run", null, Map.of("FerryRunId", run.getRun().getRunId(),
                "FerryDryRun", false, "FerryForce", false, "FerryConfirm", "DELETE"), RunResult.class);

        assertThat(rb.getStatus()).as(rb.summaryLine()).isEqualTo(RunStatus.COMPLETED);
        assertThat(rb.getMessage()).contains("dropped 1 table(s)", "deleted 4 row(s)", "restored 1 row(s)");
        assertThat(db.text("SELECT string_agg(q::text, ';' ORDER BY symbol) FROM rb.quotes q")).isEqualTo(before);
        assertThat(db.text("SELECT to_regclass('rb.news')::text")).isNull();
        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + run.getRun().getRunId())).isEqualTo("rolled_back");
    }

    @Test
    void aDryRunReadsAndConvertsEverythingAndWritesNothing() {
        Path file = market("dry.db");
        SqliteFixture.exec(file, "INSERT INTO ohlcv_data (ticker_id, region, timeframe, date) VALUES (1, 'IN', '1d', 'not a date')");

        MigrationResult r = migrate(file, "dry", "FerryDryRun", true);

        assertThat(r.getRun().isDryRun()).isTrue();
        assertThat(r.getEstimatedSeconds()).isNotNull().isGreaterThanOrEqualTo(0);
        assertThat(r.table("ohlcv_data").read).isEqualTo(6);
        assertThat(r.table("ohlcv_data").loaded).isEqualTo(5);
        assertThat(r.table("ohlcv_data").firstRejects).singleElement().satisfies(x -> assertThat(x.reason()).contains("not a date"));
        assertThat(r.table("tickers").ddl).contains("CREATE TABLE \"dry\".\"tickers\"", "\"is_etf\" boolean");
        assertThat(db.count("SELECT count(*) FROM pg_namespace WHERE nspname = 'dry'")).isZero();
        assertThat(db.count("SELECT count(*) FROM ferry.sqlite_tables WHERE run_id = " + r.getRun().getRunId())).isZero();
    }

    @Test
    void validateOnlyFindsAChangedRowAndShowsIt() {
        Path file = market("validate.db");
        assertThat(migrate(file, "val").getValidation().isOk()).isTrue();
        db.execute("UPDATE val.ohlcv_data SET close = 1 WHERE date = '2025-10-28' AND ticker_id = 3");

        MigrationResult r = migrate(file, "val", "FerryValidateOnly", true);

        assertThat(r.getValidation().isOk()).isFalse();
        var check = r.getValidation().getTables().stream().filter(c -> c.table.equals("ohlcv_data")).findFirst().orElseThrow();
        assertThat(check.sourceRows).isEqualTo(check.targetRows);
        assertThat(check.onlyInSource).singleElement().satisfies(s -> assertThat(s).startsWith("id=5: 5|3|US|1d|2025-10-28"));
        assertThat(check.onlyInTarget).singleElement().satisfies(s -> assertThat(s).startsWith("5|3|US|1d|2025-10-28"));
        assertThat(r.getValidation().getTables().stream().filter(c -> !c.table.equals("ohlcv_data"))).allMatch(c -> c.ok());
    }

    @Test
    void anIncrementalSyncLoadsOnlyRowsAddedSinceTheLastOne() {
        Path file = market("live.db");
        MigrationResult first = migrate(file, "live", "FerryIncremental", true);
        assertThat(first.getRun().getStatus()).as(first.getRun().summaryLine()).isEqualTo(RunStatus.COMPLETED);
        SqliteFixture.exec(file, "INSERT INTO ohlcv_data (ticker_id, region, timeframe, date, open, close, volume) VALUES "
                + "(1, 'IN', '1d', '2025-10-29', 3870, 3880, 700), (2, 'US', '1d', '2025-10-29', 270.2, 271, 30000)");

        MigrationResult second = migrate(file, "live", "FerryIncremental", true);

        assertThat(second.getRun().getStatus()).as(second.getRun().summaryLine()).isEqualTo(RunStatus.COMPLETED);
        assertThat(second.table("ohlcv_data").read).isEqualTo(2);
        assertThat(second.table("ohlcv_data").loaded).isEqualTo(2);
        assertThat(second.table("tickers").read).isZero();
        assertThat(db.count("SELECT count(*) FROM live.ohlcv_data")).isEqualTo(7);
        assertThat(second.getValidation().isOk()).isTrue();
    }

    @Test
    void aSecondMigrationIntoASchemaBeingMigratedIsRefusedAndLoadsNothing() throws Exception {
        Path file = market("twice.db");
        try (Connection other = db.connect()) {
            // another Ferry process, mid-run: its run is marked running on its backend, and it holds the schema
            long otherRun;
            try (Statement st = other.createStatement(); ResultSet rs = st.executeQuery("INSERT INTO ferry.runs (flow, source_file, status,"
                    + " backend_pid) VALUES ('sqlite', '/data/other.db', 'running', pg_backend_pid()) RETURNING id")) {
                rs.next();
                otherRun = rs.getLong(1);
            }
            assertThat(SqliteRunState.claimSchema(other, "twice")).isTrue();

            MigrationResult refused = migrate(file, "twice");

            assertThat(refused.getRun().getStatus()).isEqualTo(RunStatus.REFUSED);
            assertThat(refused.getRun().getMessage()).contains("schema twice is being migrated into by run " + otherRun + " of /data/other.db");
            assertThat(db.count("SELECT count(*) FROM pg_tables WHERE schemaname = 'twice'")).isZero();
            // a dry run writes nothing, so it does not wait for the schema
            assertThat(migrate(file, "twice", "FerryDryRun", true).getRun().getStatus()).isEqualTo(RunStatus.COMPLETED);

            SqliteRunState.releaseSchema(other, "twice");
        }

        MigrationResult after = migrate(file, "twice");

        assertThat(after.getRun().getStatus()).as(after.getRun().summaryLine()).isEqualTo(RunStatus.COMPLETED);
        assertThat(db.count("SELECT count(*) FROM twice.ohlcv_data")).isEqualTo(5);
        // the claim went back with the run: the pool's next session can take it
        try (Connection next = db.connect()) {
            assertThat(SqliteRunState.claimSchema(next, "twice")).isTrue();
        }
    }

    @Test
    void anInterruptedRunMustBeResumedOrRolledBackAndResumeContinuesItsCheckpoints() {
        Path file = market("resume.db");
        MigrationResult first = migrate(file, "res");
        long runId = first.getRun().getRunId();
        // as a kill -9 leaves it: the run cut off, ohlcv_data half loaded with its checkpoint committed
        db.execute("UPDATE ferry.runs SET status = 'aborted' WHERE id = " + runId);
        db.execute("DELETE FROM res.ohlcv_data WHERE id > 3");
        db.execute("UPDATE ferry.sqlite_tables SET status = 'loading', checkpoints = '{3}', rows_read = 3, loaded = 3 WHERE run_id = " + runId
                + " AND source_table = 'ohlcv_data'");

        MigrationResult refused = migrate(file, "res");
        assertThat(refused.getRun().getStatus()).isEqualTo(RunStatus.REFUSED);
        assertThat(refused.getRun().getMessage()).contains("--resume");

        MigrationResult resumed = migrate(file, "res", "FerryResume", true);

        assertThat(resumed.getRun().getRunId()).isEqualTo(runId);
        assertThat(resumed.getRun().getStatus()).as(resumed.getRun().summaryLine()).isEqualTo(RunStatus.COMPLETED);
        assertThat(resumed.table("ohlcv_data").read).isEqualTo(5);
        assertThat(resumed.table("ohlcv_data").loaded).isEqualTo(5);
        assertThat(db.count("SELECT count(*) FROM res.ohlcv_data")).isEqualTo(5);
        assertThat(resumed.getValidation().isOk()).isTrue();
    }

    @Test
    void aBigTableIsReadInParallelSegmentsEachCheckpointedAndEveryRowLoadsOnce() {
        StringBuilder values = new StringBuilder();
        for (int i = 1; i <= 40; i++) {
            values.append(i == 1 ? "" : ", ").append("(").append(i).append(", 'T").append(i % 7).append("', ").append(i * 1.5).append(")");
        }
        Path file = SqliteFixture.create(work.resolve("segments.db"),
                "CREATE TABLE bars (id INTEGER PRIMARY KEY, ticker TEXT, close REAL)", "INSERT INTO bars VALUES " + values);

        MigrationResult r = migrate(file, "seg");

        assertThat(r.getRun().getStatus()).as(r.getRun().summaryLine()).isEqualTo(RunStatus.COMPLETED);
        assertThat(db.count("SELECT count(DISTINCT id) FROM seg.bars")).isEqualTo(40);
        assertThat(db.count("SELECT count(*) FROM seg.bars")).isEqualTo(40);
        assertThat(db.text("SELECT array_length(checkpoints, 1) || ' segments, checkpoints ' || checkpoints::text FROM ferry.sqlite_tables"
                + " WHERE run_id = " + r.getRun().getRunId())).isEqualTo("2 segments, checkpoints {20,40}");
        assertThat(r.getValidation().isOk()).isTrue();
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
