package dev.ferry.bot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ferry.bot.read.LeftInInboxException;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the inbox's files to one lane per user: a user's files run one after another, in the
 * order the file consumer found them (modification time), while up to {@code parallelUsers}
 * users' lanes run side by side. A lane is the whole of a file's work (its run, report and
 * destination), sent to {@code target} on the lane's thread; the file consumer moves the file
 * only when that exchange completes, so a file leaves the inbox only after its run ended.
 *
 * <p>Why not Camel's threads EIP or SEDA: both hand exchanges to whichever thread is free, so two
 * files of one user could load at once or out of order, and each would then read the other's
 * dedup keys too late. Here a user is never on two threads at once.
 *
 * <p>On stop, files still waiting in a lane are failed without being read: the file consumer
 * leaves a failed file in the inbox, so the next start loads it. Files already running finish
 * (Camel's graceful shutdown waits for them).
 */
public final class UserLanes extends ServiceSupport implements AsyncProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(UserLanes.class);

    private final int parallelUsers;
    private final String target;
    private final ProducerTemplateSource templates;
    private final Map<Object, Lane> lanes = new HashMap<>();
    private ExecutorService workers;
    private ProducerTemplate template;
    private boolean stopping;

    /** Gives the lanes a template once Camel has started (a bean is wired before the context is). */
    @FunctionalInterface
    public interface ProducerTemplateSource {
        ProducerTemplate create();
    }

    public UserLanes(int parallelUsers, String target, ProducerTemplateSource templates) {
        if (parallelUsers < 1) {
            throw new IllegalArgumentException("ferry.inbox.parallel-users must be 1 or more, got " + parallelUsers);
        }
        this.parallelUsers = parallelUsers;
        this.target = target;
        this.templates = templates;
    }

    public int parallelUsers() {
        return parallelUsers;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Object user = exchange.getIn().getHeader("FerryUserId");
        Task task = new Task(exchange, callback);
        synchronized (this) {
            if (stopping || workers == null) {
                leaveInInbox(task, true);
                return true;
            }
            Lane lane = lanes.computeIfAbsent(user == null ? "no user" : user, Lane::new);
            lane.waiting.add(task);
            if (!lane.scheduled) {
                lane.scheduled = true;
                workers.execute(lane);
            }
        }
        return false;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        // a synchronous caller (a test or a template) waits for its file's turn
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!process(exchange, doneSync -> done.complete(null))) {
            done.get();
        }
    }

    @Override
    public CompletableFuture<Exchange> processAsync(Exchange exchange) {
        CompletableFuture<Exchange> f = new CompletableFuture<>();
        process(exchange, doneSync -> f.complete(exchange));
        return f;
    }

    /** Runs one user's waiting files one by one; gives the worker back when the lane is empty. */
    private final class Lane implements Runnable {
        private final Object user;
        private final ArrayDeque<Task> waiting = new ArrayDeque<>();
        private boolean scheduled;

        Lane(Object user) {
            this.user = user;
        }

        @Override
        public void run() {
            while (true) {
                Task next;
                synchronized (UserLanes.this) {
                    next = stopping ? null : waiting.poll();
                    if (next == null) {
                        scheduled = false;
                        if (waiting.isEmpty()) {
                            lanes.remove(user);
                        }
                        return;
                    }
                }
                try {
                    template.send(target, next.exchange());
                } catch (RuntimeException e) {
                    next.exchange().setException(e);
                }
                List<Task> held = List.of();
                if (next.exchange().getException() != null) {
                    // the file stays in the inbox (PostgreSQL down, say): its user's later files must not
                    // go ahead of it, so they stay too and the next scan offers them all again in order
                    synchronized (UserLanes.this) {
                        held = new ArrayList<>(waiting);
                        waiting.clear();
                    }
                }
                next.callback().done(false);
                String failed = next.exchange().getIn().getHeader(Exchange.FILE_NAME, String.class);
                held.forEach(t -> leaveInInbox(t, false, "an earlier file of its user, " + failed
                        + ", stays in the inbox after it failed, and " + fileName(t) + " waits behind it"));
            }
        }
    }

    private record Task(Exchange exchange, AsyncCallback callback) {
    }

    /** Fails a file that was not started: the file consumer leaves a failed file where it is. */
    private static void leaveInInbox(Task task, boolean doneSync) {
        leaveInInbox(task, doneSync, "Ferry is stopping: " + fileName(task) + " was not started and stays in the inbox for the next start");
    }

    private static void leaveInInbox(Task task, boolean doneSync, String why) {
        task.exchange().setException(new LeftInInboxException(why));
        task.callback().done(doneSync);
    }

    private static String fileName(Task task) {
        return task.exchange().getIn().getHeader(Exchange.FILE_NAME, String.class);
    }

    @Override
    protected void doStart() {
        template = templates.create();
        AtomicInteger n = new AtomicInteger();
        workers = new ThreadPoolExecutor(parallelUsers, parallelUsers, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "ferry-inbox-lane-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        stopping = false;
    }

    /**
     * Fails every file that waits in a lane (it stays in the inbox); lets running files finish.
     * Called when Camel begins to stop, before it waits for in-flight files: the waiting ones would
     * otherwise all be loaded during the shutdown.
     */
    public void releaseWaiting() {
        List<Task> released = new ArrayList<>();
        synchronized (this) {
            stopping = true;
            lanes.values().forEach(l -> {
                released.addAll(l.waiting);
                l.waiting.clear();
            });
        }
        if (!released.isEmpty()) {
            LOG.info("Stopping: {} inbox file(s) not yet started stay in the inbox for the next start", released.size());
        }
        released.forEach(t -> leaveInInbox(t, false));
    }

    @Override
    protected void doStop() throws Exception {
        releaseWaiting();
        if (workers != null) {
            workers.shutdown();
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Inbox lanes still busy after the shutdown wait; their runs roll back when the process ends");
            }
            workers = null;
        }
        if (template != null) {
            template.stop();
            template = null;
        }
    }
}
