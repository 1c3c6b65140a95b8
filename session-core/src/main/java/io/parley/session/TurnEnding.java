package io.parley.session;

import io.parley.audio.prosody.Prosody;
import io.parley.spi.Word;
import io.parley.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * When a {@link UserTurn}'s open turn ends. It keeps what the turn detector is told about the
 * latest end of speech (when it was, how the voice ended, where it lies on the recognizer's word
 * timeline) and the open turn's latest timed words. The wait is the detector's
 * ({@link TurnEndDelay}), lengthened for a recognizer behind its audio ({@link RecognizerLag}), on
 * an {@link EndOfTurnTimer}. Pauses teach the detector: one the user broke by speaking on, one
 * that ended a turn, and one the user talked on right after (a cut-off). Loop-confined, like its turn.
 */
final class TurnEnding {

    /** Speech within this long after a commit means the user talked on: the turn was cut off. */
    private static final long TALKED_ON_NANOS = 1_500_000_000L;

    private final TurnEndDelay endDelay;
    private final UserTurn.Recognizer recognizer;
    /** How far the recognizer runs behind the audio, which the wait adds to. */
    private final RecognizerLag lag;
    private final EndOfTurnTimer timer;
    private long speechEndNanos = -1;
    /** How the user's voice ended at the latest offset. */
    private Prosody prosody = Prosody.UNKNOWN;
    /** Where the latest offset lies on the recognizer's word timeline, -1 if unknown. */
    private long speechEndHeardNanos = -1;
    /** The timed words of the open turn's latest result that had them. */
    private List<Word> words = List.of();
    /** When the agent's speech last played out in full, -1 if never. */
    private long agentPlayedNanos = -1;

    /** Runs {@code end} on {@code loop} once a wait armed with {@link #arm} is over. */
    TurnEnding(Clock clock, Executor loop, SessionConfig config, TurnEndDelay endDelay, UserTurn.Recognizer recognizer,
               Runnable end) {
        this.endDelay = endDelay;
        this.recognizer = recognizer;
        this.lag = new RecognizerLag(config);
        this.timer = new EndOfTurnTimer(clock, loop, endDelay, end, (delay, now) ->
                lag.stillDue(recognizer.publishedNanos(), speechEndHeardNanos, delay, speechEndNanos, now));
    }

    /** Clock reading of the latest offset, -1 if none yet. */
    long speechEndNanos() {
        return speechEndNanos;
    }

    /** Where the latest offset lies in the recognizer's audio, -1 if unknown. */
    long speechEndHeardNanos() {
        return speechEndHeardNanos;
    }

    /**
     * The user spoke again at {@code atNanos}: an armed wait is off, and the pause it timed was
     * one the user broke.
     *
     * @param committedEotNanos when the latest turn was ended, -1 if none
     * @return true if the user talked on right after that turn was ended, which was learnt as a
     *         cut-off (the caller then forgets that end of turn)
     */
    boolean speechStarted(long atNanos, long committedEotNanos) {
        if (timer.armed()) {
            timer.cancel();
            if (speechEndNanos >= 0) {
                endDelay.observePause(Math.max(0, atNanos - speechEndNanos), false);
            }
        } else if (endDelay.hasDetector() && committedEotNanos >= 0 && atNanos - committedEotNanos < TALKED_ON_NANOS
                && speechEndNanos >= 0 && speechEndNanos <= committedEotNanos && agentPlayedNanos < committedEotNanos) {
            // The user talked on right after the turn was ended, before hearing the agent out: a
            // cut-off the detector must learn from.
            endDelay.observePause(atNanos - speechEndNanos, false);
            return true;
        }
        return false;
    }

    /**
     * The agent's speech played out in full at {@code atNanos}: speech after it answers it, and
     * is not the user talking on from the turn that ended before it [a 340 ms "Okay." heard
     * whole, then a noise 690 ms after the commit, was learnt as a cut-off: the speaker's neutral
     * wait rose from 450 to 732 ms and the next turn waited 1.39 s].
     */
    void agentPlayed(long atNanos) {
        agentPlayedNanos = atNanos;
    }

    /** The user stopped speaking at {@code atNanos}, the voice ending as {@code prosody}, at {@code heardNanos} of the recognizer's audio. */
    void speechEnded(long atNanos, Prosody prosody, long heardNanos) {
        speechEndNanos = atNanos;
        timer.speechEndSeen();
        this.prosody = Objects.requireNonNull(prosody, "prosody");
        speechEndHeardNanos = heardNanos;
    }

    /** A result of the open turn with these timed {@code words} arrived at {@code nowNanos}. */
    void result(List<Word> words, long nowNanos) {
        this.words = words;
        lag.result(words, nowNanos);
    }

    /** A turn opened: no words yet, and the lag is measured afresh. */
    void turnOpened() {
        lag.turnOpened();
        words = List.of();
    }

    /** The open turn's own words were dropped (noise, a backchannel). */
    void forgetWords() {
        words = List.of();
    }

    /** A new recognition stream: its word timings start again at zero. */
    void recognizerReplaced() {
        words = List.of();
        speechEndHeardNanos = -1;
        lag.reset();
    }

    /** Arms (or re-arms) the wait for the open turn with {@code text}, now ({@code nowNanos}) after the end of speech. */
    void arm(long nowNanos, String text) {
        long delay = endDelay.delay(nowNanos - speechEndNanos, text, prosody, words, speechEndHeardNanos).toNanos();
        long wait = lag.wait(delay, words, speechEndHeardNanos, speechEndNanos);
        timer.arm(delay, Math.max(0, speechEndNanos + wait - nowNanos));
    }

    /** Whether a wait is armed. */
    boolean armed() {
        return timer.armed();
    }

    void cancel() {
        timer.cancel();
    }

    /** The wait ended the turn now ({@code nowNanos}): a pause that ended a turn. */
    void ended(long nowNanos) {
        endDelay.observePause(nowNanos - speechEndNanos, true);
    }

    /**
     * Whether the latest end of speech lies beyond what the recognizer has published, so it
     * cannot yet have said whether that speech held words; false when the recognizer does not
     * say how far its results reach.
     */
    boolean resultsBehind() {
        return !RecognizerLag.covers(recognizer.publishedNanos(), speechEndHeardNanos, 0);
    }

    /** Whether the recognizer says how far its results reach and they reach past the latest end of speech. */
    boolean resultsCover() {
        long published = recognizer.publishedNanos();
        return published >= 0 && speechEndHeardNanos >= 0 && RecognizerLag.covers(published, speechEndHeardNanos, 0);
    }

    /** Cancels the wait and forgets everything, as at the start of a conversation. */
    void reset() {
        timer.reset();
        speechEndNanos = -1;
        prosody = Prosody.UNKNOWN;
        speechEndHeardNanos = -1;
        words = List.of();
        endDelay.reset();
        lag.reset();
    }
}
