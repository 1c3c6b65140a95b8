package io.parley.session;

import io.parley.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Without a VAD, a {@link UserTurn} takes the user as silent once the recognizer's results stop
 * for a while, since a recognizer may never end an utterance by itself. Loop-confined, like its
 * turn; the timer is posted back to the loop.
 */
final class ResultSilence {

    private final Clock clock;
    private final Executor loop;
    private final long afterNanos;
    private final Runnable silent;
    private Clock.Cancellable timer;
    /** Bumped on every arm and cancel, so a task the timer already posted does nothing. */
    private int arms;

    /** Runs {@code silent} on the loop once no result came for {@code afterNanos}. */
    ResultSilence(Clock clock, Executor loop, long afterNanos, Runnable silent) {
        this.clock = clock;
        this.loop = loop;
        this.afterNanos = afterNanos;
        this.silent = silent;
    }

    /** A result came: the silence counts from now. */
    void restart() {
        cancel();
        int arm = arms;
        timer = clock.schedule(() -> loop.execute(() -> {
            if (arm == arms) {
                timer = null;
                silent.run();
            }
        }), afterNanos, TimeUnit.NANOSECONDS);
    }

    void cancel() {
        arms++;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
