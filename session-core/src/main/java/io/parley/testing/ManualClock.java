package io.parley.testing;

import io.parley.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A single-threaded clock for allocation benchmarks and long-running timer tests: time moves
 * only in {@link #advance(long)}, which then runs what is due on the calling thread. Unlike
 * {@link VirtualClock} it allocates nothing itself except the handle of a one-shot
 * {@link #schedule} (which any clock must return), so a profiler's allocation count per call
 * is what the code under test allocates; a repeating timer is one object for all its runs.
 * It counts the calls made to it, so a test can assert how many timers something arms.
 *
 * <p>Blocking work ({@link #executeBlocking}) runs like any other task. Not thread-safe:
 * every call must come from one thread. Due tasks run first, then due repeating timers, then
 * due one-shot timers in the order they were scheduled.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * VoiceSession session = VoiceSession.builder().clock(clock)...build();
 * CompletableFuture<Void> started = session.startAsync();
 * while (!started.isDone()) clock.advance(20_000_000L);
 * long before = clock.schedules();
 * for (int i = 0; i < 1000; i++) clock.advance(20_000_000L);
 * }</pre>
 */
public final class ManualClock implements Clock {

    /** Tasks run per {@link #advance} at most, so a task that re-posts itself cannot hang a test. */
    private static final int MAX_TASKS_PER_ADVANCE = 10_000;

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(256);
    private final ArrayDeque<Timer> timers = new ArrayDeque<>(64);
    private final ArrayList<Repeat> repeats = new ArrayList<>(4);
    private long now = 1_000_000_000L;
    private long schedules;
    private long executes;
    private long blockingCalls;

    private final class Timer implements Cancellable {
        final Runnable task;
        final long due;
        boolean cancelled;

        Timer(Runnable task, long due) {
            this.task = task;
            this.due = due;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final class Repeat implements Cancellable {
        final Runnable task;
        final long period;
        long next;
        boolean cancelled;

        Repeat(Runnable task, long period) {
            this.task = task;
            this.period = period;
            this.next = now + period;
        }

        @Override
        public void cancel() {
            cancelled = true;
            repeats.remove(this);
        }
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Instant now() {
        return Instant.ofEpochSecond(0, now);
    }

    @Override
    public void execute(Runnable task) {
        executes++;
        tasks.add(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        schedules++;
        Timer t = new Timer(task, now + unit.toNanos(delay));
        timers.add(t);
        return t;
    }

    @Override
    public Cancellable scheduleRepeating(Runnable task, long period, TimeUnit unit) {
        Repeat r = new Repeat(task, unit.toNanos(period));
        repeats.add(r);
        return r;
    }

    @Override
    public void executeBlocking(Runnable task) {
        blockingCalls++;
        tasks.add(task);
    }

    /** Moves time forward by {@code nanos} and runs every task and timer that is due. */
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time cannot go back: " + nanos);
        }
        now += nanos;
        runDue();
    }

    /** One-shot timers armed so far. */
    public long schedules() {
        return schedules;
    }

    /** Tasks submitted with {@link #execute} so far. */
    public long executes() {
        return executes;
    }

    /** Tasks submitted with {@link #executeBlocking} so far. */
    public long blockingCalls() {
        return blockingCalls;
    }

    private void runDue() {
        for (int n = 0; n < MAX_TASKS_PER_ADVANCE; n++) {
            Runnable r = tasks.poll();
            if (r != null) {
                r.run();
                continue;
            }
            if (runOneRepeat()) {
                continue;
            }
            if (!runOneTimer()) {
                return;
            }
        }
    }

    /** Runs the first repeating timer that is due; indexed, so that it allocates nothing. */
    private boolean runOneRepeat() {
        for (int i = 0; i < repeats.size(); i++) {
            Repeat rep = repeats.get(i);
            if (!rep.cancelled && rep.next <= now) {
                rep.next += rep.period;
                rep.task.run();
                return true;
            }
        }
        return false;
    }

    private boolean runOneTimer() {
        int n = timers.size();
        for (int i = 0; i < n; i++) {
            Timer t = timers.poll();
            if (t.cancelled) {
                continue;
            }
            if (t.due <= now) {
                t.task.run();
                return true;
            }
            timers.add(t);
        }
        return false;
    }
}
