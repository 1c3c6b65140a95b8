package io.parley.session;

import io.parley.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;

/**
 * An ended turn's wait for its final transcript, and when it may be answered from its latest
 * interim instead. An interim that arrived after the end of speech has heard every word only
 * if the recognizer keeps up with the audio. One that is behind (an offline decoder on a loaded
 * machine, a congested connection) goes on revising its interim after the user stopped: the
 * interim that happens to be latest when the turn ends lacks the last words, and the final
 * would add them as a turn of their own. So an interim counts as stable only once
 * <ul>
 *   <li>it has not changed for {@link #STABLE_WAIT}, or, if its latest change came {@code x}
 *       after the end of speech, for {@code x} (the recognizer may be that far behind), and</li>
 *   <li>the end of speech is {@code STABLE_WAIT} older than the time the recognizer took, from
 *       the turn's first onset, to report its first words: a recognizer behind the audio is
 *       behind from the start of the turn, and that is when its lag shows.</li>
 * </ul>
 * Past the final-transcript timeout the latest interim answers anyway. Loop-confined, like its
 * turn; the timer is posted back to the loop.
 */
final class FinalWait {

    /**
     * The least a turn waits, after it ended, for its final transcript when its interim arrived
     * after the end of speech. Slow finals (rescoring, a slow network) thus cost at most this
     * much when the recognizer keeps up, while fast ones still answer from their final.
     */
    static final Duration STABLE_WAIT = Duration.ofMillis(250);

    /** What ends the wait without a final transcript. */
    @FunctionalInterface
    interface Outcome {
        /** Answer from the latest interim; {@code timedOut} if it was not yet stable. */
        void answerFromInterim(boolean timedOut);
    }

    private final Clock clock;
    private final LoopTimer timer;
    /** Clock reading of the latest interim result, -1 if none. */
    private long arrivedNanos = -1;
    /** Clock reading of the latest interim result that changed the text, -1 if none. */
    private long changedNanos = -1;
    private String text = "";
    /** Clock reading of the open turn's first onset, and of its first words from the recognizer (-1: none yet). */
    private long turnStartNanos = -1;
    private long firstWordsNanos = -1;

    private long speechEndNanos;
    private long endOfTurnNanos;
    private long deadlineNanos;
    private BooleanSupplier hasInterim;
    private Outcome outcome;

    FinalWait(Clock clock, Executor loop) {
        this.clock = clock;
        this.timer = new LoopTimer(clock, loop);
    }

    /** A turn was opened by speech that started at {@code onsetNanos}. */
    void turnOpened(long onsetNanos) {
        turnStartNanos = onsetNanos;
        firstWordsNanos = -1;
    }

    /** An interim result arrived at {@code nowNanos}. */
    void interim(String interimText, long nowNanos) {
        if (firstWordsNanos < 0 && turnStartNanos >= 0 && !interimText.isBlank()) {
            firstWordsNanos = nowNanos;
        }
        arrivedNanos = nowNanos;
        if (!interimText.equals(text)) {
            text = interimText;
            changedNanos = nowNanos;
        }
    }

    /**
     * Starts waiting for the final transcript of a turn whose speech ended at
     * {@code speechEnd} and which ended at {@code endOfTurn} (now).
     *
     * @param hasInterim whether the turn has an interim to answer from
     */
    void start(long speechEnd, long endOfTurn, Duration timeout, BooleanSupplier hasInterim, Outcome outcome) {
        this.speechEndNanos = speechEnd;
        this.endOfTurnNanos = endOfTurn;
        this.deadlineNanos = endOfTurn + timeout.toNanos();
        this.hasInterim = hasInterim;
        this.outcome = outcome;
        arm(endOfTurn);
    }

    /** The final arrived, or the turn was dropped: no more waiting. */
    void cancel() {
        timer.cancel();
    }

    /** Cancels the wait and forgets the interims, as at the start of a conversation. */
    void reset() {
        cancel();
        arrivedNanos = -1;
        changedNanos = -1;
        text = "";
        turnStartNanos = -1;
        firstWordsNanos = -1;
    }

    private void arm(long nowNanos) {
        long at = Math.min(stableAt(), deadlineNanos);
        timer.arm(at - nowNanos, () -> {
            long now = clock.nanoTime();
            long stable = stableAt();
            if (now < stable && now < deadlineNanos) {
                // The interim changed since: the recognizer is still catching up.
                arm(now);
                return;
            }
            outcome.answerFromInterim(now < stable);
        });
    }

    /** When the turn may be answered from its interim; {@link Long#MAX_VALUE} if only a final or the timeout will do. */
    private long stableAt() {
        if (!hasInterim.getAsBoolean() || arrivedNanos < speechEndNanos) {
            return Long.MAX_VALUE;
        }
        long stable = STABLE_WAIT.toNanos();
        long behind = Math.max(0, changedNanos - speechEndNanos);
        long lag = firstWordsNanos < 0 ? 0 : Math.max(0, firstWordsNanos - turnStartNanos);
        return Math.max(Math.max(endOfTurnNanos, speechEndNanos + lag) + stable, changedNanos + Math.max(stable, behind));
    }
}
