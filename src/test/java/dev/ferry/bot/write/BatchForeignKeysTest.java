package dev.ferry.bot.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.demo.TradesHistoryGenerator;
import dev.ferry.support.FerryTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The platform's foreign keys hold for every committed row, whichever way they are checked. */
class BatchForeignKeysTest extends FerryTestSupport {

    private Path file;

    @BeforeEach
    void file() throws Exception {
        db.emptyTables();
        db.execute("TRUNCATE trading.positions, trading.fills, trading.orders");
        // more trades than one COPY batch (10,000 records), so several batches are checked
        file = new TradesHistoryGenerator().trades(25_000).seed(5).write(Files.createTempDirectory(work, "fk").resolve("trades_history.json"));
    }

    @AfterEach
    void dropTrigger() {
        db.execute("DROP TRIGGER IF EXISTS audit_fills ON trading.fills");
        db.execute("DROP TABLE IF EXISTS public.fill_audit");
        db.execute("DROP FUNCTION IF EXISTS public.audit_fill()");
    }

    @Test
    void batchCheckedLoadsKeepEveryReferenceIntact() {
        RunResult r = importTrades(file, 1, false);

        assertThat(r.getStatus()).as(r.summaryLine()).isEqualTo(RunStatus.COMPLETED);
        assertThat(r.getFills()).isEqualTo(37_500);
        assertThat(db.count("SELECT count(*) FROM trading.fills f WHERE NOT EXISTS (SELECT 1 FROM trading.orders o WHERE o.id = f.order_id)"))
                .isZero();
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE user_id <> 1")).isZero();
        assertThat(db.count("SELECT count(*) FROM trading.fills WHERE user_id <> 1")).isZero();
    }

    @Test
    void aUserTriggerOnTheTablesKeepsFiringForEveryRow() {
        db.execute("CREATE TABLE public.fill_audit (fill_id bigint)");
        db.execute("""
                CREATE FUNCTION public.audit_fill() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN INSERT INTO public.fill_audit VALUES (NEW.id); RETURN NEW; END $$""");
        db.execute("CREATE TRIGGER audit_fills AFTER INSERT ON trading.fills FOR EACH ROW EXECUTE FUNCTION public.audit_fill()");

        RunResult r = importTrades(file, 1, false);

        assertThat(r.getStatus()).as(r.summaryLine()).isEqualTo(RunStatus.COMPLETED);
        assertThat(db.count("SELECT count(*) FROM public.fill_audit")).isEqualTo(r.getFills()).isEqualTo(37_500);
    }

    @Test
    void aFillNamingAnOrderThatIsNotThereFailsTheBatchNamingFileAndRecords() throws Exception {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            BatchForeignKeys fk = BatchForeignKeys.detect(c, 1, "trades_history.json");
            assertThat(fk).as("postgres may set session_replication_role and the tables have no other trigger").isNotNull();

            assertThatThrownBy(() -> fk.checkOrders(c, new long[] {-42}, 1, 7, 9))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("trades_history.json, records 7 to 9")
                    .hasMessageContaining("fills.order_id")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503"));
            c.rollback();
        }
    }

    @Test
    void anUnknownUserIsRefusedBeforeAnyRowIsWritten() throws Exception {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> BatchForeignKeys.detect(c, 999, "trades_history.json"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("user 999 is not in trading.users");
            c.rollback();
        }
    }
}
