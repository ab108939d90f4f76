package dev.ferry.bot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ferry.bot.read.LeftInInboxException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * A user's file that fails and stays in the inbox (PostgreSQL down when its retries ran out) holds back that
 * user's later files, so they cannot load ahead of it when the database comes back; other users go on.
 * The lanes are plain concurrency: the target here is a route that records the order it is called in.
 */
class UserLanesTest {

    @Test
    void aFileLeftInTheInboxHoldsBackItsUsersLaterFilesButNotOtherUsers() throws Exception {
        List<String> attempted = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:lane").process(e -> {
                        String file = e.getIn().getHeader(Exchange.FILE_NAME, String.class);
                        attempted.add(file);
                        if (file.equals("u1-a.json")) {
                            // keep the lane busy until every file is queued, then fail as an outage does
                            release.await(10, TimeUnit.SECONDS);
                            throw new IllegalStateException("PostgreSQL is unreachable");
                        }
                    });
                }
            });
            camel.start();
            UserLanes lanes = new UserLanes(2, "direct:lane", camel::createProducerTemplate);
            lanes.start();
            try {
                CompletableFuture<Exchange> a = lanes.processAsync(file(camel, 1, "u1-a.json"));
                CompletableFuture<Exchange> b = lanes.processAsync(file(camel, 1, "u1-b.json"));
                CompletableFuture<Exchange> c = lanes.processAsync(file(camel, 1, "u1-c.json"));
                CompletableFuture<Exchange> other = lanes.processAsync(file(camel, 2, "u2-a.json"));
                release.countDown();

                assertThat(a.get(10, TimeUnit.SECONDS).getException()).hasMessageContaining("unreachable");
                for (CompletableFuture<Exchange> held : List.of(b, c)) {
                    assertThat(held.get(10, TimeUnit.SECONDS).getException())
                            .isInstanceOf(LeftInInboxException.class)
                            .hasMessageContaining("u1-a.json");
                }
                assertThat(other.get(10, TimeUnit.SECONDS).getException()).isNull();
                assertThat(attempted).containsExactlyInAnyOrder("u1-a.json", "u2-a.json");

                // the next scan offers user 1's files again in order; with the database back they load in order
                attempted.clear();
                CompletableFuture<Exchange> b2 = lanes.processAsync(file(camel, 1, "u1-b.json"));
                CompletableFuture<Exchange> c2 = lanes.processAsync(file(camel, 1, "u1-c.json"));
                assertThat(b2.get(10, TimeUnit.SECONDS).getException()).isNull();
                assertThat(c2.get(10, TimeUnit.SECONDS).getException()).isNull();
                assertThat(attempted).containsExactly("u1-b.json", "u1-c.json");
            } finally {
                lanes.stop();
            }
        }
    }

    private static Exchange file(CamelContext camel, long user, String name) {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setHeaders(new java.util.HashMap<>(Map.of("FerryUserId", user, Exchange.FILE_NAME, name)));
        return e;
    }
}
