package io.parley.spi;

import java.util.List;
import java.util.Objects;

/**
 * A recognition result from a speech-to-text stream.
 *
 * <p>Interim results revise each other; a final result is never revised. {@code speechFinal}
 * marks the final result that closes an utterance: the provider decided the speaker paused
 * (endpointing) or the session asked it to {@linkplain SttStream#finalizeUtterance() finalize}.
 *
 * <p>A provider that knows how far into its audio a result reaches gives it as
 * {@code audioEndNanos}. The session uses it to tell the final that answers a finalize from
 * one the provider's own endpointing closed at an earlier pause of the same turn: a user turn
 * is complete only once a {@code speechFinal} result reaches the end of the turn's speech (see
 * {@link SttStream#finalizeUtterance()}). Without it, the first {@code speechFinal} result
 * after a finalize is taken as its answer.
 *
 * @param text          the recognised text, possibly empty
 * @param isFinal       true if this segment will not change any more
 * @param speechFinal   true if this final result ends the utterance
 * @param confidence    0..1, or NaN when the provider gives none
 * @param words         word-level detail, possibly empty
 * @param language      BCP-47 tag if known, else empty string
 * @param audioEndNanos how far into the stream's audio the result reaches, in nanoseconds on the
 *                      timeline of its {@linkplain Word word timings}: it holds every word the
 *                      provider heard before that point and not yet finalized; -1 if unknown
 */
public record Transcript(String text, boolean isFinal, boolean speechFinal, double confidence,
                         List<Word> words, String language, long audioEndNanos) {
    public Transcript {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(language, "language");
        words = List.copyOf(words);
        if (speechFinal && !isFinal) {
            throw new IllegalArgumentException("speechFinal requires isFinal");
        }
        if (audioEndNanos < -1) {
            throw new IllegalArgumentException("audioEndNanos must be -1 (unknown) or non-negative, was " + audioEndNanos);
        }
    }

    /** A result that does not say how far into the audio it reaches. */
    public Transcript(String text, boolean isFinal, boolean speechFinal, double confidence, List<Word> words, String language) {
        this(text, isFinal, speechFinal, confidence, words, language, -1);
    }

    /** This result, reaching {@code nanos} into the stream's audio (-1: unknown). */
    public Transcript withAudioEnd(long nanos) {
        return new Transcript(text, isFinal, speechFinal, confidence, words, language, nanos);
    }

    /** An interim result with no word detail. */
    public static Transcript interim(String text) {
        return new Transcript(text, false, false, Double.NaN, List.of(), "");
    }

    /** A final result with no word detail; {@code speechFinal} says whether it ends the utterance. */
    public static Transcript fin(String text, boolean speechFinal) {
        return new Transcript(text, true, speechFinal, Double.NaN, List.of(), "");
    }

    /** Number of whitespace-separated words in {@link #text()}. */
    public int wordCount() {
        return countWords(text);
    }

    static int countWords(String s) {
        int n = 0;
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            boolean ws = Character.isWhitespace(s.charAt(i));
            if (!ws && !inWord) {
                n++;
            }
            inWord = !ws;
        }
        return n;
    }
}
