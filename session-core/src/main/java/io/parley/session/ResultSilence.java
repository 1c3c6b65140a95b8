package io.parley.session;

import io.parley.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Speech ends for a {@link UserTurn} without a VAD: a recognizer that never ends its utterances
 * is taken as silent once its results have stopped for a while. Loop-confined, like its turn;
 * the timer is posted back to the loop, and a task posted by a timer since re-armed or
 * cancelled does nothing.
 */
final class ResultSilence {

    private final Clock clock;
    private final Executor loop;
    private final long afterNanos;
    /** Called with the clock reading of the latest result once results stopped. */
    private final LongConsumer silent;
    private Clock.Cancellable timer;
    /** Bumped whenever the timer is armed or dropped. */
    private int arms;
    private long lastResultNanos;

    ResultSilence(Clock clock, Executor loop, Duration after, LongConsumer silent) {
        this.clock = clock;
        this.loop = loop;
        this.afterNanos = after.toNanos();
        this.silent = silent;
    }

    /** A result with words arrived at {@code nowNanos}: silence counts from it. */
    void result(long nowNanos) {
        cancel();
        lastResultNanos = nowNanos;
        int arm = ++arms;
        timer = clock.schedule(() -> loop.execute(() -> {
            if (arm == arms) {
                timer = null;
                silent.accept(lastResultNanos);
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
