package dev.ferry.core.runs;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.Statement;

import dev.ferry.core.db.Database;
import dev.ferry.core.report.RunResult;
import dev.ferry.core.report.RunStatus;
import dev.ferry.support.FerryTestSupport;
import org.junit.jupiter.api.Test;

/**
 * A run whose end PostgreSQL could not be told (its connection lost mid-run, the retry already
 * under way) must not stay 'running': the next run to begin records it, unless the run's own
 * transaction still holds it and may yet commit what it recorded itself.
 */
class RunStoreTest extends FerryTestSupport {

    private RunStore store() {
        return new RunStore(ferry.context().getRegistry().lookupByNameAndType("database", Database.class));
    }

    private RunResult begun(RunStore store, String file) throws Exception {
        RunResult r = new RunResult("trades_history", file, 1L, false);
        try (Connection c = db.connect()) {
            store.begin(c, r);
        }
        return r;
    }

    /** As an outage leaves it: the end is written on a connection that is already gone. */
    private static void endOnALostConnection(RunStore store, Connection lost, RunResult r) throws Exception {
        lost.close();
        store.finishOrLater(lost, r.finish(RunStatus.ABORTED, "PostgreSQL went away; the file is tried again"));
    }

    @Test
    void anEndThatCouldNotBeWrittenIsWrittenWhenTheNextRunBegins() throws Exception {
        RunStore store = store();
        RunResult cut = begun(store, "cut.json");
        endOnALostConnection(store, db.connect(), cut);
        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + cut.getRunId())).isEqualTo("running");

        RunResult retry = begun(store, "cut.json");

        assertThat(db.text("SELECT status || ': ' || message FROM ferry.runs WHERE id = " + cut.getRunId()))
                .isEqualTo("aborted: PostgreSQL went away; the file is tried again");
        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + retry.getRunId())).isEqualTo("running");
    }

    @Test
    void aRunStillHeldByItsOwnTransactionKeepsWhatThatTransactionCommits() throws Exception {
        RunStore store = store();
        RunResult cut = begun(store, "held.json");
        endOnALostConnection(store, db.connect(), cut);
        try (Connection own = db.connect(); Statement st = own.createStatement()) {
            // the run's transaction reached the server and is committing its own end
            own.setAutoCommit(false);
            st.executeUpdate("UPDATE ferry.runs SET status = 'completed', loaded = 7 WHERE id = " + cut.getRunId());

            begun(store, "other.json"); // does not wait for that transaction, and leaves the run to it

            own.commit();
        }
        begun(store, "third.json");

        assertThat(db.text("SELECT status || ' ' || loaded FROM ferry.runs WHERE id = " + cut.getRunId())).isEqualTo("completed 7");
    }
}
