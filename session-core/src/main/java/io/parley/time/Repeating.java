package io.parley.time;

import java.util.concurrent.TimeUnit;

/** {@link Clock#scheduleRepeating} for clocks without a periodic timer: one timer per run. */
final class Repeating implements Clock.Cancellable {

    private final Clock clock;
    private final Runnable task;
    private final long periodNanos;
    private volatile boolean cancelled;
    private volatile Clock.Cancellable next;

    Repeating(Clock clock, Runnable task, long periodNanos) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        this.clock = clock;
        this.task = task;
        this.periodNanos = periodNanos;
    }

    Repeating arm() {
        next = clock.schedule(this::run, periodNanos, TimeUnit.NANOSECONDS);
        return this;
    }

    private void run() {
        if (cancelled) {
            return;
        }
        // Re-armed first, so the period does not drift by the task's run time.
        arm();
        task.run();
    }

    @Override
    public void cancel() {
        cancelled = true;
        Clock.Cancellable n = next;
        if (n != null) {
            n.cancel();
        }
    }
}
