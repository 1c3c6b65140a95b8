package io.parley.testing;

import io.parley.time.Clock;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real-time {@link Clock} on real threads whose time can run faster than the wall clock.
 *
 * <p>With a scale of 1 it behaves like {@link Clock#system()} but owns its threads, so a
 * test can tell them apart and shut them down. With a scale of {@code k}, {@link #nanoTime()}
 * advances {@code k} times faster than wall time and every delay is {@code k} times shorter
 * in wall time: a session sees realistic timings (20 ms frames, 500 ms endpointing) while the
 * threads still race for real, only more densely. Unlike {@link VirtualClock}, nothing is
 * deterministic: this clock exists to find races.
 *
 * <pre>{@code
 * try (ScaledClock clock = new ScaledClock(10)) {   // ten session-seconds per wall second
 *     VoiceSession session = VoiceSession.builder().clock(clock)...build();
 * }
 * }</pre>
 */
public final class ScaledClock implements Clock, AutoCloseable {

    private static final ThreadLocal<Boolean> LOOP_THREAD = ThreadLocal.withInitial(() -> false);

    private final double scale;
    private final long originNanos = System.nanoTime();
    private final Instant originInstant = Instant.now();
    private final ScheduledThreadPoolExecutor scheduler;
    private final ExecutorService blocking;

    /**
     * @param scale how many times faster than wall time this clock runs, at least 1
     * @throws IllegalArgumentException if {@code scale} is below 1 or not finite
     */
    public ScaledClock(double scale) {
        this(scale, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * @param scale       how many times faster than wall time this clock runs, at least 1
     * @param loopThreads size of the pool for short tasks and timers
     * @throws IllegalArgumentException if an argument is out of range
     */
    public ScaledClock(double scale, int loopThreads) {
        if (!(scale >= 1) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be a finite number >= 1, was " + scale);
        }
        if (loopThreads < 1) {
            throw new IllegalArgumentException("loopThreads must be positive, was " + loopThreads);
        }
        this.scale = scale;
        scheduler = new ScheduledThreadPoolExecutor(loopThreads, factory("parley-scaled-loop-", true));
        scheduler.setRemoveOnCancelPolicy(true);
        blocking = Executors.newCachedThreadPool(factory("parley-scaled-io-", false));
    }

    private static ThreadFactory factory(String prefix, boolean loop) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(() -> {
                LOOP_THREAD.set(loop);
                r.run();
            }, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** How many times faster than wall time this clock runs. */
    public double scale() {
        return scale;
    }

    /** Whether the calling thread belongs to this clock's pool for short tasks and timers. */
    public static boolean onLoopThread() {
        return LOOP_THREAD.get();
    }

    /** Wall-clock nanoseconds that {@code d} of this clock's time takes. */
    public long wallNanos(Duration d) {
        return (long) (d.toNanos() / scale);
    }

    /** Blocks the calling thread for {@code d} of this clock's time. */
    public void sleep(Duration d) throws InterruptedException {
        long wall = wallNanos(d);
        if (wall > 0) {
            TimeUnit.NANOSECONDS.sleep(wall);
        }
    }

    @Override
    public long nanoTime() {
        return originNanos + (long) ((System.nanoTime() - originNanos) * scale);
    }

    @Override
    public Instant now() {
        return originInstant.plusNanos(nanoTime() - originNanos);
    }

    /** The {@link #nanoTime()} reading at which {@link #now()} was {@code instant}: exact, unlike two readings taken in turn. */
    long nanosAt(Instant instant) {
        return originNanos + Duration.between(originInstant, instant).toNanos();
    }

    @Override
    public void execute(Runnable task) {
        scheduler.execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        long wall = Math.max(0, (long) (unit.toNanos(delay) / scale));
        ScheduledFuture<?> f = scheduler.schedule(task, wall, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    /** One pool timer at a fixed rate for all runs, as the system clock does. */
    @Override
    public Cancellable scheduleRepeating(Runnable task, long period, TimeUnit unit) {
        long wall = Math.max(1, (long) (unit.toNanos(period) / scale));
        ScheduledFuture<?> f = scheduler.scheduleAtFixedRate(task, wall, wall, TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void executeBlocking(Runnable task) {
        blocking.execute(task);
    }

    /** Stops this clock's threads; tasks still queued are dropped. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        blocking.shutdownNow();
    }
}
