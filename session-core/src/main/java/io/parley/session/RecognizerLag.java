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
 * that keeps up ends the turn in the user's pause. The lag shows in each result: it arrived
 * that long after its last word was spoken (measured when that word first appeared or changed,
 * so a revision of earlier words that keeps the last one says nothing). Beyond
 * {@link #ALLOWANCE}, which a recognizer that keeps up shows and the detectors' waits already
 * allow for, the lag is added to the detector's wait, as the words of the pause reach the
 * detector that much later; the wait never grows beyond
 * {@link SessionConfig#endpointingMaxDelay()}. Each new result judges the turn again with the
 * lag it shows, so a recognizer that catches up ends the hold. Without word timings, or when the
 * end of speech cannot be placed on them, nothing is added. Loop-confined, like its turn.
 */
final class RecognizerLag {

    /**
     * The lag a recognizer that keeps up shows, for which nothing is added: PocketSphinx publishes
     * every 300 ms of audio, so a word that ended just after one result arrives with the next.
     */
    static final Duration ALLOWANCE = Duration.ofMillis(300);

    private final long maxNanos;
    /** The latest result's last word, its end on the recognizer's timeline, and when it first arrived so. */
    private String word = "";
    private long wordEndNanos = -1;
    private long arrivedNanos;

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
            arrivedNanos = nowNanos;
        }
    }

    /**
     * The wait for a detector's {@code delayNanos} after the end of speech, given the timed
     * {@code words} the detector judged and where the end of speech lies on their timeline
     * ({@code speechEndHeardNanos}, -1 if unknown) and on the clock ({@code speechEndNanos}).
     */
    long wait(long delayNanos, List<Word> words, long speechEndHeardNanos, long speechEndNanos) {
        if (words.isEmpty() || speechEndHeardNanos < 0 || delayNanos >= maxNanos) {
            return delayNanos;
        }
        Word last = words.get(words.size() - 1);
        if (!last.text().equals(word) || last.end().toNanos() != wordEndNanos) {
            return delayNanos;
        }
        // When the word was spoken, on the clock: the recognizer's timeline and the clock agree
        // at the end of speech.
        long spokenNanos = speechEndNanos + wordEndNanos - speechEndHeardNanos;
        long beyond = arrivedNanos - spokenNanos - ALLOWANCE.toNanos();
        return beyond <= 0 ? delayNanos : Math.min(maxNanos, delayNanos + beyond);
    }

    /** Forgets the words seen, as at the start of a conversation or on a new recognizer stream. */
    void reset() {
        word = "";
        wordEndNanos = -1;
    }
}
