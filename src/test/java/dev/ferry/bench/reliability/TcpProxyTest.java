package dev.ferry.bench.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ferry.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxy's stall: nothing flows while it lasts, the connection survives it, and what was sent arrives after. */
class TcpProxyTest {

    @Test
    @Timeout(60)
    void aStalledLinkHoldsTheQueryWithoutAnErrorAndDeliversItOnResume() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 5432).start();
             Connection c = DriverManager.getConnection(proxy.jdbcUrl("postgres"), TestDatabase.USER, "")) {
            proxy.stall();
            CompletableFuture<Integer> answer = CompletableFuture.supplyAsync(() -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 42")) {
                    rs.next();
                    return rs.getInt(1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1_500);
            assertThat(answer).as("the answer while the link is stalled").isNotDone();

            proxy.resume();
            assertThat(answer.get(10, TimeUnit.SECONDS)).as("the answer after the link is back, on the same connection").isEqualTo(42);
        }
    }

    @Test
    @Timeout(60)
    void aNewConnectionDuringAStallWaitsAndThenWorks() throws Exception {
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", 5432).start()) {
            proxy.stall();
            CompletableFuture<Boolean> connected = CompletableFuture.supplyAsync(() -> {
                try (Connection c = DriverManager.getConnection(proxy.jdbcUrl("postgres"), TestDatabase.USER, "")) {
                    return c.isValid(5);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1_500);
            assertThat(connected).as("a connection opened during the stall").isNotDone();
            proxy.resume();
            assertThat(connected.get(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
