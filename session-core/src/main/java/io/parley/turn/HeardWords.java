package io.parley.turn;

import io.parley.spi.Word;
import java.time.Duration;
import java.util.List;

/**
 * What word timings say about a transcript's end (see {@link io.parley.spi.TurnContext#words()},
 * timed from the end of speech as the VAD heard it). A decoder that must explain every frame (a
 * word loop or a small grammar especially) fits short words such as "the", "of" or "and" to the
 * room tone after the user stopped; a turn that then seems to end in "and" is held open for
 * seconds although the user has finished: those words are set aside. And a transcript whose last
 * word ends close to the end of speech has heard the whole utterance, while one whose last word
 * ended long before has missed voice the VAD heard after it.
 * Immutable.
 */
final class HeardWords {

    /**
     * How far before the end of speech the last word may end for the transcript to have heard it
     * all: the VAD's offset is the end of the last voiced frame, and the shortest words ("a",
     * "of") last about 80 ms, so nothing was said after a word that ends this close to it.
     */
    private static final Duration COVERS_END = Duration.ofMillis(-120);
    /**
     * How far before the end of speech the last word must end for the transcript to have missed
     * something the VAD heard as voice: a word the recognizer has not made out (in noise, often
     * the very word that would have held the turn) or one it has yet to publish.
     */
    static final Duration MISSES_END = Duration.ofMillis(-250);

    /** The transcript without the trailing words decoded from the silence. */
    final String text;
    /** Whether word timings show that {@link #text}'s last word reaches the end of speech. */
    final boolean coversEnd;
    /** Whether word timings show that voice went on well after {@link #text}'s last word. */
    final boolean missesEnd;
    /** The recognizer's confidence in {@link #text}'s last word as timed, 0..1; NaN when it gives none or the word is not timed. */
    final double lastConfidence;
    /** Where {@link #text}'s last word starts and ends, in nanoseconds from the end of speech; {@link #UNTIMED} when not timed. */
    private final long lastStartNanos;
    private final long lastEndNanos;
    /** Where the earliest word set aside starts, in nanoseconds from the end of speech; {@link #UNTIMED} when none was. */
    private final long setAsideFromNanos;

    private static final long UNTIMED = Long.MAX_VALUE;

    private HeardWords(String text, boolean coversEnd, boolean missesEnd, double lastConfidence, long lastStartNanos, long lastEndNanos,
                       long setAsideFromNanos) {
        this.text = text;
        this.coversEnd = coversEnd;
        this.missesEnd = missesEnd;
        this.lastConfidence = lastConfidence;
        this.lastStartNanos = lastStartNanos;
        this.lastEndNanos = lastEndNanos;
        this.setAsideFromNanos = setAsideFromNanos;
    }

    /** How long before the end of speech {@link #text}'s last word ended, in nanoseconds; 0 when it reaches it or is not timed. */
    long unheardNanos() {
        return lastEndNanos == UNTIMED ? 0 : Math.max(0, -lastEndNanos);
    }

    /**
     * Whether the words set aside here reach back over the middle of {@code earlier}'s last word:
     * the word an earlier result of the pause ended with is, on this result's reading, part of
     * the silence the decoder filled with words.
     */
    boolean setsAsideLastWordOf(HeardWords earlier) {
        return setAsideFromNanos != UNTIMED && earlier.lastStartNanos != UNTIMED
                && setAsideFromNanos <= (earlier.lastStartNanos + earlier.lastEndNanos) / 2;
    }

    /**
     * Whether this result ends with a different word than {@code earlier}, over the middle of
     * {@code earlier}'s last word: the decoder changed its mind about what that word is, not
     * about where the speech ended.
     */
    boolean replacesLastWordOf(HeardWords earlier) {
        if (lastStartNanos == UNTIMED || earlier.lastStartNanos == UNTIMED) {
            return false;
        }
        long middle = (earlier.lastStartNanos + earlier.lastEndNanos) / 2;
        return lastStartNanos <= middle && middle <= lastEndNanos
                && !TranscriptCues.lastWord(text).equals(TranscriptCues.lastWord(earlier.text));
    }

    /**
     * Reads {@code transcript}'s end against {@code words}: trailing words whose middle lies more
     * than {@code margin} (twice that for a word that began before it; null: none) after the end
     * of speech are set aside ({@link #text} is then shorter than
     * the transcript, otherwise the same instance). Only words that match the transcript's last
     * words count, so timings from a different result than the transcript's end change nothing.
     */
    static HeardWords of(String transcript, List<Word> words, Duration margin) {
        if (words.isEmpty()) {
            return new HeardWords(transcript, false, false, Double.NaN, UNTIMED, UNTIMED, UNTIMED);
        }
        String rest = transcript.strip();
        long setAsideFrom = UNTIMED;
        int i = words.size() - 1;
        for (; i >= 0 && !rest.isEmpty(); i--) {
            Word w = words.get(i);
            // Mostly after the end of speech: decoders stretch an inserted word back over the
            // tail of the last real one as often as they place it in the silence alone.
            // One that began before the end of speech was being said, as far as the VAD can tell:
            // in noise the soft end of a real last word sinks below the VAD's offset, so it must
            // lie twice as far into the silence to count as decoded from it.
            if (margin == null || !matchesEnd(rest, w)) {
                break;
            }
            Duration limit = w.start().isNegative() ? margin.multipliedBy(2) : margin;
            if (w.start().plus(w.end()).compareTo(limit.multipliedBy(2)) <= 0) {
                break;
            }
            int cut = rest.length();
            while (cut > 0 && !Character.isWhitespace(rest.charAt(cut - 1))) {
                cut--;
            }
            rest = rest.substring(0, cut).strip();
            setAsideFrom = w.start().toNanos();
        }
        boolean timed = i >= 0 && !rest.isEmpty() && matchesEnd(rest, words.get(i));
        Duration lastEnd = timed ? words.get(i).end() : Duration.ZERO;
        double confidence = timed ? words.get(i).confidence() : Double.NaN;
        return new HeardWords(setAsideFrom != UNTIMED ? rest : transcript, timed && lastEnd.compareTo(COVERS_END) >= 0,
                timed && lastEnd.compareTo(MISSES_END) < 0, confidence >= 0 && confidence <= 1 ? confidence : Double.NaN,
                timed ? words.get(i).start().toNanos() : UNTIMED,
                timed ? lastEnd.toNanos() : UNTIMED, setAsideFrom);
    }

    private static boolean matchesEnd(String text, Word w) {
        String last = TranscriptCues.lastWord(text);
        return !last.isEmpty() && last.equals(TranscriptCues.lastWord(w.text()));
    }
}
