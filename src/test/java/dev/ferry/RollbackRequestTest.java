package dev.ferry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;

import dev.ferry.core.report.RunResult;
import dev.ferry.support.FerryTestSupport;
import dev.ferry.support.Fixtures;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

/** Rollback requests dropped as files into inbox/rollback/ of a running Ferry, with the CLI's confirmation. */
class RollbackRequestTest extends FerryTestSupport {

    @Override
    protected boolean watch() {
        return true;
    }

    private void request(String name, String content) throws Exception {
        NotifyBuilder done = new NotifyBuilder(ferry.context()).fromRoute("rollback-requests").whenDone(1).create();
        Path staged = file("staging/" + name, content);
        Path target = work.resolve("inbox/rollback").resolve(name);
        Files.createDirectories(target.getParent());
        Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        assertThat(done.matches(30, TimeUnit.SECONDS)).as("rollback request %s handled", name).isTrue();
        // the file is moved once its exchange completes, a moment after the notification
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Files.exists(target) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(target).as("request %s moved out of the inbox", name).doesNotExist();
    }

    @Test
    void aRequestWithoutConfirmationIsRefusedAndAConfirmedOneRemovesTheRunsRows() throws Exception {
        String before = db.contentDigest();
        RunResult run = importTrades(file("t/trades_history.json", Fixtures.formatsExample()), 1, false);
        assertThat(db.count("SELECT count(*) FROM trading.orders")).isEqualTo(4);

        request("undo-unconfirmed.json", "{\"run\": " + run.getRunId() + "}");

        assertThat(db.count("SELECT count(*) FROM trading.orders")).as("nothing removed without DELETE").isEqualTo(4);
        assertThat(work.resolve("error/rollback/undo-unconfirmed.json")).exists();
        assertThat(Files.readString(work.resolve("error/rollback/undo-unconfirmed.json.error.json"))).contains("REFUSED", "confirm with DELETE");

        request("undo.json", "{\"run\": " + run.getRunId() + ", \"confirm\": \"DELETE\"}");

        assertThat(db.contentDigest()).isEqualTo(before);
        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + run.getRunId())).isEqualTo("rolled_back");
        assertThat(work.resolve("done/rollback/undo.json")).exists();
        assertThat(work.resolve("inbox/rollback/undo.json")).doesNotExist();
    }

    @Test
    void aBadRequestIsRefusedWithTheFieldNamed() throws Exception {
        request("bad.json", "{\"run\": \"twelve\", \"confirm\": \"DELETE\"}");

        assertThat(work.resolve("error/rollback/bad.json")).exists();
        assertThat(Files.readString(work.resolve("error/rollback/bad.json.error.json"))).contains("bad.json: field run must be a whole number");
    }

    @Test
    void aMisspeltDryRunIsRefusedAndRollsNothingBack() throws Exception {
        RunResult run = importTrades(file("t2/trades_history.json", Fixtures.formatsExample()), 2, false);
        long orders = db.count("SELECT count(*) FROM trading.orders WHERE user_id = 2");

        request("typo.json", "{\"run\": " + run.getRunId() + ", \"confirm\": \"DELETE\", \"dryrun\": true}");

        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE user_id = 2")).isEqualTo(orders);
        assertThat(db.text("SELECT status FROM ferry.runs WHERE id = " + run.getRunId())).isEqualTo("completed");
        assertThat(Files.readString(work.resolve("error/rollback/typo.json.error.json"))).contains("unknown field \\\"dryrun\\\"", "nothing was rolled back");
        // the other tests count every order: this run goes again, for real
        request("undo-typo.json", "{\"run\": " + run.getRunId() + ", \"confirm\": \"DELETE\"}");
        assertThat(db.count("SELECT count(*) FROM trading.orders WHERE user_id = 2")).isZero();
    }

    @Test
    void anEmptyRequestIsRefusedAndTheNextOneIsStillHandled() throws Exception {
        request("empty.json", "");
        assertThat(work.resolve("error/rollback/empty.json")).exists();
        assertThat(Files.readString(work.resolve("error/rollback/empty.json.error.json"))).contains("empty.json: the request is empty");

        request("after.json", "{\"run\": 999999, \"confirm\": \"DELETE\"}");
        assertThat(work.resolve("error/rollback/after.json")).exists();
        assertThat(Files.readString(work.resolve("error/rollback/after.json.error.json"))).contains("no run of run 999999");
    }
}
