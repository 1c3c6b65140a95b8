package io.parley.session;

import io.parley.time.Clock;
import java.util.concurrent.Executor;
import java.util.function.LongBinaryOperator;

/**
 * A {@link UserTurn}'s end-of-turn wait: armed with the silence the turn needs, it fires on the
 * clock, then waits on while the speaker's audio does not yet show that silence
 * ({@link TurnEndDelay#silenceStillDue}) and while the recognizer has not yet published the
 * words of that silence ({@link RecognizerLag#stillDue}), and finally runs the turn's end. Loop-confined, like
 * its turn (a {@link LoopTimer}).
 */
final class EndOfTurnTimer {

    private final Clock clock;
    private final LoopTimer timer;
    private final TurnEndDelay endDelay;
    private final Runnable end;
    /** Given the silence the wait needs and the clock: how much longer to wait for the recognizer, 0 if not. */
    private final LongBinaryOperator recognizerDue;
    /** The silence the armed wait needs. */
    private long delayNanos;
    /** Clock reading when the turn heard of the latest end of speech; the bound on waiting for audio counts from it. */
    private long speechEndSeenNanos = -1;

    EndOfTurnTimer(Clock clock, Executor loop, TurnEndDelay endDelay, Runnable end, LongBinaryOperator recognizerDue) {
        this.clock = clock;
        this.timer = new LoopTimer(clock, loop);
        this.endDelay = endDelay;
        this.end = end;
        this.recognizerDue = recognizerDue;
    }

    /** The turn heard of an end of speech now. */
    void speechEndSeen() {
        speechEndSeenNanos = clock.nanoTime();
    }

    /** Arms (or re-arms) a wait for {@code delayNanos} of silence, due on the clock in {@code waitNanos}. */
    void arm(long delayNanos, long waitNanos) {
        this.delayNanos = delayNanos;
        schedule(waitNanos);
    }

    void cancel() {
        timer.cancel();
    }

    /** Whether a wait is armed. */
    boolean armed() {
        return timer.armed();
    }

    /** Cancels the wait and forgets the end of speech, as at the start of a conversation. */
    void reset() {
        cancel();
        speechEndSeenNanos = -1;
    }

    private void schedule(long waitNanos) {
        timer.arm(waitNanos, this::fired);
    }

    private void fired() {
        long due = endDelay.silenceStillDue(delayNanos, speechEndSeenNanos, clock.nanoTime());
        if (due > 0) {
            // The clock says the wait is over, but the audio heard does not: the rest of the
            // pause (or the user's next words) is still on its way.
            schedule(due);
            return;
        }
        due = recognizerDue.applyAsLong(delayNanos, clock.nanoTime());
        if (due > 0) {
            // The recognizer has not yet published what it heard in the pause: a word there
            // (a soft "and" the VAD took for silence) would change the verdict.
            schedule(due);
            return;
        }
        end.run();
    }
}
