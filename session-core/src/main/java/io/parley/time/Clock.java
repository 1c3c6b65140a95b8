package io.parley.time;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Time and execution for sessions: where "now" comes from, where short tasks run, where
 * timers fire and where user code that may block is run.
 *
 * <p>{@link #system()} is the shared production clock: a small scheduler pool sized to the
 * machine for session event loops, plus a pool for blocking user code. Tests use
 * {@code io.parley.testing.VirtualClock}, under which a minute of conversation runs in
 * milliseconds, deterministically.
 */
public interface Clock {

    /** Monotonic time in nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** Wall-clock time that corresponds to {@link #nanoTime()}. */
    Instant now();

    /** Runs a short, non-blocking task soon. */
    void execute(Runnable task);

    /** Runs {@code task} once after {@code delay}. */
    Cancellable schedule(Runnable task, long delay, TimeUnit unit);

    /**
     * Runs {@code task} every {@code period}, the first time one period from now, until
     * cancelled. The system clock keeps one timer for all runs, so nothing is allocated per
     * run (audio pacing relies on it); this default re-schedules after each run.
     */
    default Cancellable scheduleRepeating(Runnable task, long period, TimeUnit unit) {
        return new Repeating(this, task, unit.toNanos(period)).arm();
    }

    /** Runs code that may block (agent callbacks, listener code, provider connects). */
    void executeBlocking(Runnable task);

    /** The process-wide clock backed by the JVM's monotonic timer and shared thread pools. */
    static Clock system() {
        return SystemClock.INSTANCE;
    }

    /** Handle to a scheduled task. */
    @FunctionalInterface
    interface Cancellable {
        /** Prevents the task from running if it has not started; harmless if it already ran. */
        void cancel();
    }
}
