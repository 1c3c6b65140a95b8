package io.parley.recording;

import io.parley.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/** A deterministic clock for tests: time moves only when {@link #advance} is called. */
public final class ManualClock implements Clock {

    private final Instant origin;
    private long nanos = 1_000_000_000L;
    private long order;
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();

    private final class Task implements Comparable<Task>, Cancellable {
        final long due;
        final long seq = order++;
        final Runnable run;
        boolean cancelled;

        Task(long due, Runnable run) {
            this.due = due;
            this.run = run;
        }

        @Override
        public int compareTo(Task o) {
            return due != o.due ? Long.compare(due, o.due) : Long.compare(seq, o.seq);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    public ManualClock(Instant origin) {
        this.origin = origin;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized Instant now() {
        return origin.plusNanos(nanos - 1_000_000_000L);
    }

    @Override
    public void execute(Runnable task) {
        schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        Task t = new Task(nanos + unit.toNanos(delay), task);
        tasks.add(t);
        return t;
    }

    @Override
    public void executeBlocking(Runnable task) {
        execute(task);
    }

    /** Moves time forward, running every task that falls due on the way, in order. */
    public void advance(Duration d) {
        long target;
        synchronized (this) {
            target = nanos + d.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due > target) {
                    nanos = target;
                    return;
                }
                tasks.poll();
                nanos = Math.max(nanos, next.due);
            }
            if (!next.cancelled) {
                next.run.run();
            }
        }
    }
}
