package io.parley.session;

import io.parley.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

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
 * And a recognizer that says how far its results reach ({@link UserTurn.Recognizer#publishedNanos()})
 * must have published its audio up to the end of the turn's speech, and a little beyond (as
 * {@link RecognizerLag#COVER} says, a decoder puts a word in its hypothesis only once it has
 * decoded some silence after it): an interim that has not changed for a while is not stable if
 * the decoder, starved of CPU, has not yet decoded the rest of the turn (DemoTest under load:
 * no new interim came while the decoder worked through the caller's 900 ms pause, and the turn
 * was answered with the words before it). A result the stream published before its position
 * was read may still be on its way to the loop, so the interim answers only after a hop through
 * the loop. For recognizers that do not say, results that say how far into the audio they
 * reach ({@link io.parley.spi.Transcript#audioEndNanos()}, as Deepgram's do) must reach the end
 * of the turn's speech: an interim of less audio has not heard all of the turn, however long
 * it has not changed. Others keep the rules above. Past the final-transcript timeout
 * the latest interim answers anyway. Loop-confined, like its turn; the timer is posted back to
 * the loop.
 */
final class FinalWait {

    /**
     * The least a turn waits, after it ended, for its final transcript when its interim arrived
     * after the end of speech. Slow finals (rescoring, a slow network) thus cost at most this
     * much when the recognizer keeps up, while fast ones still answer from their final.
     */
    static final Duration STABLE_WAIT = Duration.ofMillis(250);
    /** How often a wait held for a recognizer behind the turn's audio looks again. */
    private static final long POLL_NANOS = 20_000_000L;

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
    /** How far the recognizer's results reach on its timeline (-1: it does not say), and how far they must. */
    private LongSupplier published;
    private long coverNanos;
    /**
     * How far the results the interim answer would be made of reach (-1: they do not say), and
     * where the turn's speech ended in the recognizer's audio (-1: unknown).
     */
    private LongSupplier answerReach;
    private long speechEndHeardNanos;
    /** The interim was found stable and covering; it answers on the next run, after results already queued. */
    private boolean confirming;

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
     * @param published  how far the recognizer's results reach on its timeline, -1 if it does not say
     * @param coverNanos how far they must reach before an interim may answer, -1 if unknown
     * @param answerReach how far into the recognizer's audio the results the interim answer
     *                    would be made of reach, -1 if they do not say
     * @param speechEndHeardNanos where the turn's speech ended in the recognizer's audio, -1 if
     *                    unknown: results that stop short of it have not heard all of it
     */
    void start(long speechEnd, long endOfTurn, Duration timeout, BooleanSupplier hasInterim, LongSupplier published,
               long coverNanos, LongSupplier answerReach, long speechEndHeardNanos, Outcome outcome) {
        this.speechEndNanos = speechEnd;
        this.endOfTurnNanos = endOfTurn;
        this.deadlineNanos = endOfTurn + timeout.toNanos();
        this.hasInterim = hasInterim;
        this.published = published;
        this.coverNanos = coverNanos;
        this.answerReach = answerReach;
        this.speechEndHeardNanos = speechEndHeardNanos;
        this.outcome = outcome;
        confirming = false;
        arm(endOfTurn);
    }

    /** The recognition stream was replaced: its results are on a new timeline, which the turn's end is not placed on. */
    void recognizerReplaced() {
        coverNanos = -1;
        speechEndHeardNanos = -1;
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
        timer.arm(at - nowNanos, this::due);
    }

    private void due() {
        long now = clock.nanoTime();
        long stable = stableAt();
        if (now < stable && now < deadlineNanos) {
            // The interim changed since: the recognizer is still catching up.
            confirming = false;
            arm(now);
            return;
        }
        if (now < deadlineNanos && !covered()) {
            // Unchanged, but only because the recognizer has yet to decode the rest of the turn.
            confirming = false;
            timer.arm(Math.min(POLL_NANOS, deadlineNanos - now), this::due);
            return;
        }
        if (now < deadlineNanos && coverNanos >= 0 && published.getAsLong() >= 0 && !confirming) {
            // Results published before the position was read are ahead of this in the loop's queue.
            confirming = true;
            timer.arm(0, this::due);
            return;
        }
        outcome.answerFromInterim(now < stable);
    }

    /**
     * Whether the recognizer's results reach as far as the turn needs; true when it is unknown.
     * A stream that says how far it has published must have published past the end of speech;
     * for one that does not, the results the interim answer would be made of must reach the end
     * of the turn's speech (within {@link PendingCommit#REACH_TOLERANCE_NANOS}), or it is the
     * hypothesis of less audio than the turn's. Two ways that happened on real threads
     * (TurnCoverageRealThreadTest, a recognizer that also ends utterances at pauses, its finals
     * seconds late): one delivering in order held back its interims of the speech after a pause
     * behind that pause's final, and its latest interim, older than the pause, answered the turn
     * with the first half of the line (CI: "hello is five" for "hello is five what it time");
     * one whose interims start afresh after the pause answered with the second half, an interim
     * of the new utterance that came just after the end of speech, the first half's final still
     * to come ("to folder what" for "saved time hello to folder what").
     */
    private boolean covered() {
        long streamReach = published.getAsLong();
        if (streamReach >= 0) {
            // The stream says how far it has decoded: no newer result means no other words.
            return RecognizerLag.covers(streamReach, coverNanos, 0);
        }
        long reach = answerReach.getAsLong();
        return reach < 0 || speechEndHeardNanos < 0 || reach + PendingCommit.REACH_TOLERANCE_NANOS >= speechEndHeardNanos;
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
