package io.parley.testing;

import java.util.concurrent.CompletableFuture;

/**
 * A bound on how long a chaos session waits for a call to return (its final {@code stop()}),
 * counted in polls of the sessions' clock rather than in its time, as the wait for a session to
 * settle is.
 *
 * <p>Why: the clock's time runs on while the process gets no CPU, but the call's work (the
 * session's loop, the blocking pool, the caller's wake-up) does not. One timer at the bound's
 * clock time fired as soon as a starved pool came round to it, while the call it judged was
 * still queued behind the same backlog: under CI's starvation (timers up to 137 s of session
 * time late) the soak reported {@code stop()} as hung in sessions whose stop returned moments
 * later and left nothing behind. Each poll is a timer of its own, scheduled when the one before
 * it ran, so the bound is spent only by time in which the sessions' clock pool ran.
 */
final class PolledBound {

    private final ChaosCalls.Steps steps;
    private final long pollNanos;
    private final long polls;

    /**
     * @param steps     runs a step some session time from now, on the sessions' clock
     * @param pollNanos session time between polls
     * @param polls     how many polls the call has to return
     */
    PolledBound(ChaosCalls.Steps steps, long pollNanos, long polls) {
        this.steps = steps;
        this.pollNanos = pollNanos;
        this.polls = polls;
    }

    /** Runs {@code overdue} if {@code returned} is not complete once the bound is spent. */
    void watch(CompletableFuture<?> returned, Runnable overdue) {
        poll(returned, overdue, polls);
    }

    private void poll(CompletableFuture<?> returned, Runnable overdue, long left) {
        if (returned.isDone()) {
            return;
        }
        if (left <= 0) {
            overdue.run();
            return;
        }
        steps.later(pollNanos, () -> poll(returned, overdue, left - 1));
    }
}
