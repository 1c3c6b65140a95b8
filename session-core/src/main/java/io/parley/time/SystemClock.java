package io.parley.time;

import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The shared production clock: daemon threads, so an embedding application can always exit. */
final class SystemClock implements Clock {

    static final SystemClock INSTANCE = new SystemClock();

    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService blocking;
    private final Pacer pacer;
    private final long originNanos = System.nanoTime();
    private final Instant originInstant = Instant.now();

    private SystemClock() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        scheduler = new ScheduledThreadPoolExecutor(threads, daemonFactory("parley-loop-"));
        // Cancelled timers (every rescheduled endpointing decision) must not pile up in the queue.
        scheduler.setRemoveOnCancelPolicy(true);
        blocking = Executors.newCachedThreadPool(daemonFactory("parley-user-"));
        pacer = new Pacer(threads, daemonFactory("parley-loop-pacer-"));
    }

    private static ThreadFactory daemonFactory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Instant now() {
        return originInstant.plusNanos(System.nanoTime() - originNanos);
    }

    @Override
    public void execute(Runnable task) {
        scheduler.execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        ScheduledFuture<?> f = scheduler.schedule(task, delay, unit);
        return () -> f.cancel(false);
    }

    @Override
    public Cancellable scheduleRepeating(Runnable task, long period, TimeUnit unit) {
        return pacer.schedule(task, unit.toNanos(period));
    }

    @Override
    public void executeBlocking(Runnable task) {
        blocking.execute(task);
    }
}
