package dev.ferry.bot.read;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.apache.camel.support.service.ServiceSupport;

/**
 * When the bot inbox is scanned: every {@code ferry.inbox.poll-ms}, and besides at the very
 * moment a file the last scan passed over becomes complete (its modification time plus the
 * write-complete wait), so a file is taken when its wait ends rather than up to a scan later.
 * All scans run on one thread, one after another, as Camel's own scheduler runs them.
 */
public final class InboxScanSchedule extends ServiceSupport implements ScheduledPollConsumerScheduler {

    private final long periodMillis;
    private CamelContext context;
    private Runnable scan;
    private ScheduledExecutorService thread;
    private ScheduledFuture<?> periodic;
    private long nextWake = Long.MAX_VALUE;

    public InboxScanSchedule(long periodMillis) {
        this.periodMillis = periodMillis;
    }

    /** Asks for a scan at this time (epoch millis), unless one is already due no later. */
    public synchronized void wakeAt(long epochMillis) {
        long now = System.currentTimeMillis();
        if (thread == null || scan == null || (nextWake >= now && nextWake <= epochMillis)) {
            return;
        }
        nextWake = epochMillis;
        thread.schedule(() -> {
            synchronized (this) {
                if (nextWake == epochMillis) {
                    nextWake = Long.MAX_VALUE;
                }
            }
            scan.run();
        }, Math.max(0, epochMillis - now), TimeUnit.MILLISECONDS);
    }

    @Override
    public void onInit(Consumer consumer) {
        // the consumer is the one file route that names this schedule; nothing to learn from it
    }

    @Override
    public synchronized void scheduleTask(Runnable task) {
        this.scan = task;
    }

    @Override
    public synchronized void unscheduleTask() {
        if (periodic != null) {
            periodic.cancel(false);
            periodic = null;
        }
        scan = null;
    }

    @Override
    public synchronized void startScheduler() {
        if (thread == null) {
            ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
                Thread th = new Thread(r, "ferry-inbox-scan");
                th.setDaemon(true);
                return th;
            });
            t.setRemoveOnCancelPolicy(true);
            // a stop ends the schedule; a wake still pending is dropped, a scan in progress finishes
            t.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            thread = t;
        }
        if (periodic == null && scan != null) {
            Runnable task = scan;
            periodic = thread.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized boolean isSchedulerStarted() {
        return periodic != null;
    }

    @Override
    protected synchronized void doStop() {
        unscheduleTask();
        if (thread != null) {
            thread.shutdown();
            thread = null;
        }
        nextWake = Long.MAX_VALUE;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.context = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }
}
