package io.parley.session;

import io.parley.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.LongConsumer;

/**
 * Speech ends for a {@link UserTurn} without a VAD: a recognizer that never ends its utterances
 * is taken as silent once its results have stopped for a while. Loop-confined, like its turn
 * (a {@link LoopTimer}).
 */
final class ResultSilence {

    private final long afterNanos;
    /** Called with the clock reading of the latest result once results stopped. */
    private final LongConsumer silent;
    private final LoopTimer timer;
    private long lastResultNanos;

    ResultSilence(Clock clock, Executor loop, Duration after, LongConsumer silent) {
        this.timer = new LoopTimer(clock, loop);
        this.afterNanos = after.toNanos();
        this.silent = silent;
    }

    /** A result with words arrived at {@code nowNanos}: silence counts from it. */
    void result(long nowNanos) {
        lastResultNanos = nowNanos;
        timer.arm(afterNanos, () -> silent.accept(lastResultNanos));
    }

    void cancel() {
        timer.cancel();
    }
}
