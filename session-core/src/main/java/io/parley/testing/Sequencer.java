package io.parley.testing;

import io.parley.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs timed tasks strictly in the order they were added, one timer at a time, so a fake's
 * events keep their order even on a multi-threaded clock where two timers due at the same
 * instant could otherwise run concurrently.
 */
final class Sequencer {

    private record Entry(long dueNanos, Runnable task) {
    }

    private final Clock clock;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private Clock.Cancellable timer;
    private boolean running;
    private boolean cancelled;

    Sequencer(Clock clock) {
        this.clock = clock;
    }

    /** Runs {@code task} no earlier than {@code delayNanos} from now and after every task added before it. */
    synchronized void after(long delayNanos, Runnable task) {
        if (cancelled) {
            return;
        }
        long due = clock.nanoTime() + Math.max(0, delayNanos);
        Entry last = queue.peekLast();
        if (last != null && last.dueNanos > due) {
            due = last.dueNanos;
        }
        queue.add(new Entry(due, task));
        arm();
    }

    /** Drops everything pending; later additions are ignored. */
    synchronized void cancel() {
        cancelled = true;
        queue.clear();
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void arm() {
        if (timer != null || running || queue.isEmpty()) {
            return;
        }
        long delay = Math.max(0, queue.peek().dueNanos - clock.nanoTime());
        timer = clock.schedule(this::fire, delay, TimeUnit.NANOSECONDS);
    }

    private void fire() {
        List<Runnable> due = new ArrayList<>();
        synchronized (this) {
            timer = null;
            long now = clock.nanoTime();
            while (!queue.isEmpty() && queue.peek().dueNanos <= now) {
                due.add(queue.poll().task);
            }
            running = true;
        }
        try {
            for (Runnable r : due) {
                synchronized (this) {
                    if (cancelled) {
                        return;
                    }
                }
                r.run();
            }
        } finally {
            synchronized (this) {
                running = false;
                arm();
            }
        }
    }
}
