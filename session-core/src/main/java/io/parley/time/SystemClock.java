package io.parley.time;

import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared production clock: daemon threads, so an embedding application can always exit.
 *
 * <p>Timers fire on the loop pool's own threads. A timer almost always hands work to a
 * session's event loop, i.e. to this pool ({@link #execute}); the first such hand-off of each
 * firing runs on the timer's thread right away instead of waking another pool thread for it,
 * which would cost a context switch and, on a busy machine, a wait for a CPU between an
 * end-of-turn timer and the turn's answer. Whatever that work hands on goes to the pool as usual.
 */
final class SystemClock implements Clock {

    private static final Logger log = LoggerFactory.getLogger(SystemClock.class);

    static final SystemClock INSTANCE = new SystemClock();

    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService blocking;
    private final Pacer pacer;
    private final long originNanos = System.nanoTime();
    private final Instant originInstant = Instant.now();

    private SystemClock() {
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        AtomicInteger loopThreads = new AtomicInteger();
        scheduler = new ScheduledThreadPoolExecutor(threads, r -> {
            Thread t = new LoopThread(r, "parley-loop-" + loopThreads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
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
        if (Thread.currentThread() instanceof LoopThread t && t.timerFiring) {
            t.timerFiring = false;
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                // As the pool would have: the timer that handed it over carries on.
                log.error("loop task failed", e);
            }
            return;
        }
        scheduler.execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        ScheduledFuture<?> f = scheduler.schedule(() -> fire(task), delay, unit);
        return () -> f.cancel(false);
    }

    private static void fire(Runnable timer) {
        LoopThread t = (LoopThread) Thread.currentThread();
        t.timerFiring = true;
        try {
            timer.run();
        } finally {
            t.timerFiring = false;
        }
    }

    /** A loop pool thread; notes whether a timer is firing on it, whose first hand-off it may run itself. */
    private static final class LoopThread extends Thread {
        boolean timerFiring;

        LoopThread(Runnable r, String name) {
            super(r, name);
        }
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
