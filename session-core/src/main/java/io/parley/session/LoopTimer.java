package io.parley.session;

import io.parley.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One of a session's one-shot timers whose task runs on the session's event loop. A timer
 * fires on the clock's thread and posts its task to the loop; when the loop is busy (seconds
 * behind under load, as the chaos soak showed), the task waits, and the timer may be re-armed or
 * cancelled meanwhile. Such a task then does nothing: it neither runs an outdated decision nor
 * forgets the newer timer, which {@link #cancel()} at stop must still reach. Loop-confined.
 */
final class LoopTimer {

    private final Clock clock;
    private final Executor loop;
    private Clock.Cancellable pending;
    /** Bumped on every arm and cancel: a posted task whose arm is not the latest is stale. */
    private int arms;

    LoopTimer(Clock clock, Executor loop) {
        this.clock = clock;
        this.loop = loop;
    }

    /** Runs {@code task} on the loop in {@code delayNanos} (now if not positive), in place of any earlier arm. */
    void arm(long delayNanos, Runnable task) {
        cancel();
        int arm = arms;
        pending = clock.schedule(() -> loop.execute(() -> {
            if (arm == arms) {
                pending = null;
                task.run();
            }
        }), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    /** Drops the armed task, also if its timer has fired and the task waits on the loop. */
    void cancel() {
        arms++;
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }

    /** Whether a task is armed and has not yet run. */
    boolean armed() {
        return pending != null;
    }
}
