package io.parley.session;

import io.parley.spi.Word;
import java.time.Duration;
import java.util.List;

/**
 * How far a recognizer that times its words runs behind the speaker's audio, and how much longer
 * that makes a turn wait before the detector's verdict is taken.
 *
 * <p>The detector judges the words the recognizer has published. One behind its audio (an
 * offline decoder on a loaded machine, a congested connection) has yet to publish the words
 * near the end of speech, often the very "and" that would hold the turn, or a soft one the VAD
 * took for silence, so its verdict is on a stale transcript, and a wait chosen for a recognizer
 * that keeps up ends the turn in the user's pause. The lag shows in the results: each arrived
 * some time after its last word was spoken (measured when that word first appeared or changed,
 * so a revision of earlier words that keeps the last one says nothing). That time is the lag
 * plus up to the recognizer's interval between results (a word that ended just after one
 * result comes with the next), so the lag is taken as the least of it over the turn's latest
 * {@link #SAMPLES} results. Beyond {@link #ALLOWANCE} it is added to the detector's wait, as the
 * words of the pause reach the detector that much later; the wait never grows beyond
 * {@link SessionConfig#endpointingMaxDelay()}. Each new result judges the turn again, so a
 * recognizer that catches up ends the hold. Without word timings, or when the end of speech
 * cannot be placed on them, nothing is added.
 *
 * <p>Past results cannot show a stall that comes after them (a decoder starved of CPU for most
 * of a second). A stream that says how much of its audio its results reflect
 * ({@link io.parley.spi.SttStream#publishedNanos()}) is therefore also checked once the wait is
 * over: the turn ends only when the recognizer has published its results for the pause up to
 * {@link #STALL_ALLOWANCE} before the wait's end (its interim interval, up to 300 ms for
 * PocketSphinx, plus margin, so one that keeps up is never held), and in any case for
 * {@link #COVER} of the pause (so a short wait is never judged on words that do not yet reach
 * the end of speech), and at the latest {@link SessionConfig#endpointingMaxDelay()} after the
 * end of speech. Loop-confined, like its turn; no allocation per result.
 */
final class RecognizerLag {

    /** The lag a recognizer that keeps up shows (decoding a chunk, the hop to the loop), for which nothing is added. */
    static final Duration ALLOWANCE = Duration.ofMillis(100);
    /** How many of the turn's latest results the lag is taken from. */
    static final int SAMPLES = 5;
    /**
     * How far short of the wait's end a stream's published results may stop: a recognizer that
     * keeps up publishes every interim interval of audio (PocketSphinx: 300 ms by default).
     */
    static final Duration STALL_ALLOWANCE = Duration.ofMillis(400);
    /**
     * How much of the pause a stream's published results must reach, whatever the wait: a
     * decoder puts its last word in its hypothesis once it has decoded some silence after it,
     * and a short wait must not be judged on results that stop short of the end of speech
     * (PocketSphinx's word before a pause arrived 120-270 ms after the end of speech in
     * TurnEval), nor of a soft word the VAD took for silence (the demo caller's "and", 330 ms
     * long, after "time"). A stream that publishes every 300 ms of audio and keeps up has
     * reached this far by a 450 ms wait's end five times in six.
     */
    static final Duration COVER = Duration.ofMillis(200);
    /** How often a turn held for a stalled recognizer looks again. */
    private static final long POLL_NANOS = 20_000_000L;

    private final long maxNanos;
    /** The latest result's last word and its end on the recognizer's timeline. */
    private String word = "";
    private long wordEndNanos = -1;
    /** The turn's latest results, as a ring: the end of each one's last word and when that first arrived. */
    private final long[] ends = new long[SAMPLES];
    private final long[] arrivals = new long[SAMPLES];
    private int count;

    RecognizerLag(SessionConfig config) {
        this.maxNanos = config.endpointingMaxDelay().toNanos();
    }

    /** A result with {@code words} arrived at clock reading {@code nowNanos}. */
    void result(List<Word> words, long nowNanos) {
        if (words.isEmpty()) {
            return;
        }
        Word last = words.get(words.size() - 1);
        if (!last.text().equals(word) || last.end().toNanos() != wordEndNanos) {
            word = last.text();
            wordEndNanos = last.end().toNanos();
            ends[count % SAMPLES] = wordEndNanos;
            arrivals[count % SAMPLES] = nowNanos;
            count++;
        }
    }

    /**
     * The wait for a detector's {@code delayNanos} after the end of speech, given the timed
     * {@code words} the detector judged and where the end of speech lies on their timeline
     * ({@code speechEndHeardNanos}, -1 if unknown) and on the clock ({@code speechEndNanos}).
     */
    long wait(long delayNanos, List<Word> words, long speechEndHeardNanos, long speechEndNanos) {
        if (words.isEmpty() || speechEndHeardNanos < 0 || count == 0 || delayNanos >= maxNanos) {
            return delayNanos;
        }
        long lag = Long.MAX_VALUE;
        for (int i = 0; i < Math.min(count, SAMPLES); i++) {
            // When the word was spoken, on the clock: within a turn the audio reaches the
            // recognizer without gaps, so its timeline and the clock agree from the end of speech back.
            long spoken = speechEndNanos + ends[i] - speechEndHeardNanos;
            lag = Math.min(lag, arrivals[i] - spoken);
        }
        long beyond = lag - ALLOWANCE.toNanos();
        return beyond <= 0 ? delayNanos : Math.min(maxNanos, delayNanos + beyond);
    }

    /**
     * Once a wait of {@code delayNanos} after the end of speech has passed: how much longer to
     * wait for a recognizer whose results reflect its audio only up to {@code publishedNanos} (-1 if
     * it does not say), with the end of speech at {@code speechEndHeardNanos} on its timeline (-1 if
     * unknown) and {@code speechEndNanos} on the clock; 0 to end the turn now.
     */
    long stillDue(long publishedNanos, long speechEndHeardNanos, long delayNanos, long speechEndNanos, long nowNanos) {
        if (covers(publishedNanos, speechEndHeardNanos, Math.max(COVER.toNanos(), delayNanos - STALL_ALLOWANCE.toNanos()))) {
            return 0;
        }
        long left = speechEndNanos + maxNanos - nowNanos;
        return left <= 0 ? 0 : Math.min(POLL_NANOS, left);
    }

    /**
     * Whether a stream's results, which reflect its audio up to {@code publishedNanos} (-1 if it
     * does not say), reach {@code marginNanos} past the end of speech at {@code speechEndHeardNanos}
     * on its timeline (-1 if unknown). True when either is unknown: nothing then shows it behind.
     */
    static boolean covers(long publishedNanos, long speechEndHeardNanos, long marginNanos) {
        return publishedNanos < 0 || speechEndHeardNanos < 0 || publishedNanos >= speechEndHeardNanos + marginNanos;
    }

    /** A new turn opened: the audio before it reached the recognizer with gaps, so its results no longer tell the lag. */
    void turnOpened() {
        count = 0;
    }

    /** Forgets the words seen, as at the start of a conversation or on a new recognizer stream. */
    void reset() {
        word = "";
        wordEndNanos = -1;
        count = 0;
    }
}
