package io.parley.testing;

import io.parley.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A clock whose time moves only when a test says so, so that a minute of conversation runs
 * in milliseconds and every run is identical.
 *
 * <p>Tasks submitted with {@link #execute} run at once on the submitting thread, unless a
 * task is already running, in which case they run after it. Timers run when
 * {@link #advance(Duration)} moves time past them, in time order (submission order on
 * ties). Blocking work ({@link #executeBlocking}) runs like any other task: under a virtual
 * clock nothing really blocks. Thread-safe, but tasks never run concurrently.
 */
public final class VirtualClock implements Clock {

    private final Instant origin;
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long now;
    private long seq;
    private boolean draining;
    private Thread drainer;

    /** A clock at virtual time zero, which corresponds to 2026-01-01T00:00:00Z. */
    public VirtualClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** A clock at virtual time zero, which corresponds to {@code origin}. */
    public VirtualClock(Instant origin) {
        this.origin = Objects.requireNonNull(origin, "origin");
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Instant now() {
        return origin.plusNanos(now);
    }

    /** Time elapsed since virtual time zero. */
    public synchronized Duration elapsed() {
        return Duration.ofNanos(now);
    }

    /** The instant that corresponds to a virtual time. */
    public Instant instantAt(Duration sinceStart) {
        return origin.plus(sinceStart);
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        synchronized (this) {
            ready.add(task);
            if (draining) {
                return;
            }
            startDraining();
        }
        drainReady();
    }

    @Override
    public void executeBlocking(Runnable task) {
        execute(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        Objects.requireNonNull(task, "task");
        if (delay < 0) {
            throw new IllegalArgumentException("negative delay " + delay);
        }
        Timer t;
        synchronized (this) {
            t = new Timer(now + unit.toNanos(delay), seq++, task);
            timers.add(t);
        }
        return () -> {
            synchronized (VirtualClock.this) {
                timers.remove(t);
            }
        };
    }

    /** Moves time forward by {@code d}, running every task and timer due on the way. */
    public void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("cannot go back in time: " + d);
        }
        long target;
        synchronized (this) {
            target = now + d.toNanos();
        }
        runUntil(target);
    }

    /** Moves time forward to {@code sinceStart} after virtual time zero. */
    public void advanceTo(Duration sinceStart) {
        runUntil(sinceStart.toNanos());
    }

    /**
     * Moves time forward in steps of {@code step} until {@code condition} holds.
     *
     * @return true if it held before {@code max} had passed
     */
    public boolean advanceUntil(BooleanSupplier condition, Duration step, Duration max) {
        long limit;
        synchronized (this) {
            limit = now + max.toNanos();
        }
        runUntil(nanoTime());
        while (!condition.getAsBoolean()) {
            if (nanoTime() >= limit) {
                return false;
            }
            runUntil(Math.min(limit, nanoTime() + step.toNanos()));
        }
        return true;
    }

    /** Runs everything due now without moving time. */
    public void runPending() {
        runUntil(nanoTime());
    }

    /** Number of timers not yet run or cancelled. */
    public synchronized int pendingTimers() {
        return timers.size();
    }

    private void runUntil(long target) {
        while (true) {
            synchronized (this) {
                awaitIdle();
                Timer next = timers.peek();
                if (ready.isEmpty()) {
                    if (next == null || next.at > target) {
                        now = Math.max(now, target);
                        return;
                    }
                    timers.poll();
                    now = Math.max(now, next.at);
                    ready.add(next.task);
                }
                startDraining();
            }
            drainReady();
        }
    }

    private void drainReady() {
        while (true) {
            Runnable task;
            synchronized (this) {
                task = ready.poll();
                if (task == null) {
                    stopDraining();
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    stopDraining();
                }
                throw e;
            }
        }
    }

    private void startDraining() {
        draining = true;
        drainer = Thread.currentThread();
    }

    private void stopDraining() {
        draining = false;
        drainer = null;
        notifyAll();
    }

    /** Waits while another thread runs tasks; a task may not move time itself. */
    private void awaitIdle() {
        if (draining && drainer == Thread.currentThread()) {
            throw new IllegalStateException("time cannot be advanced from a task running on this clock");
        }
        while (draining) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a running task", e);
            }
        }
    }

    private static final class Timer implements Comparable<Timer> {
        final long at;
        final long seq;
        final Runnable task;

        Timer(long at, long seq, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.task = task;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
