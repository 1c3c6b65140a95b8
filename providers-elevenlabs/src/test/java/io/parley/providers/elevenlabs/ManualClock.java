package io.parley.providers.elevenlabs;

import io.parley.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * Virtual time for tests: timers fire only inside {@link #advance}, on the calling thread, in
 * due order. Other threads may schedule concurrently.
 */
final class ManualClock implements Clock {

    private record Task(long due, long seq, Runnable run) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.due != b.due
            ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Instant now() {
        return Instant.EPOCH.plusNanos(now);
    }

    @Override
    public void execute(Runnable task) {
        schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        Task t = new Task(now + unit.toNanos(Math.max(0, delay)), seq++, task);
        tasks.add(t);
        notifyAll();
        return () -> {
            synchronized (ManualClock.this) {
                tasks.remove(t);
            }
        };
    }

    @Override
    public void executeBlocking(Runnable task) {
        task.run();
    }

    /** Moves time forward, running every timer that falls due, in order. */
    void advance(Duration d) {
        long target;
        synchronized (this) {
            target = now + d.toNanos();
        }
        while (true) {
            Task t;
            synchronized (this) {
                t = tasks.peek();
                if (t == null || t.due > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = t.due;
            }
            t.run.run();
        }
    }

    /** Due time of the earliest pending timer relative to now, or null if none. */
    synchronized Duration nextDue() {
        Task t = tasks.peek();
        return t == null ? null : Duration.ofNanos(t.due - now);
    }

    /** Waits (bounded, real time) until some thread has scheduled a timer due within {@code within}. */
    synchronized void awaitTimerWithin(Duration within, Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (tasks.isEmpty() || tasks.peek().due - now > within.toNanos()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no timer due within " + within + " was scheduled in " + maxWait + "; next: " + nextDue());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
