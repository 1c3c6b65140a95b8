package io.parley.spi;

import io.parley.audio.prosody.Prosody;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link TurnDetector} knows when asked whether the user has finished.
 *
 * @param silence     time since the user's voice was last detected
 * @param transcript  everything the user said in the current turn so far (finals, then the latest interim)
 * @param recentTurns the latest completed turns of both parties, oldest first
 * @param minDelay    the session's minimum endpointing delay
 * @param maxDelay    the session's maximum endpointing delay
 * @param lastWordConfidence the recognizer's confidence in the transcript's last word, 0..1, or
 *                    NaN when it gives none; a detector should trust cues from an uncertain
 *                    word less (a misheard trailing "to" must not hold the turn open)
 * @param prosody     how the user's voice ended (pitch contour, lengthening, fade), measured on
 *                    the inbound audio; {@link Prosody#UNKNOWN} without a VAD or before any voice
 * @param words       the timed words at the end of {@code transcript} (those of the latest
 *                    recognition result that gave word timings), oldest first, with
 *                    {@link Word#start()} and {@link Word#end()} measured from the end of the
 *                    user's speech as the VAD heard it: a word that starts after zero was
 *                    decoded from audio the VAD took for silence (recognizers insert short
 *                    words such as "the" or "and" on room tone). Empty when the recognizer gives
 *                    no word timings or the session cannot place them on its audio (no VAD,
 *                    the recognizer stream was replaced)
 * @param expected    what the agent said it expects the user to answer ({@link ExpectedAnswer#ANY}
 *                    unless it set something else for this turn): with a number or a date
 *                    expected, a transcript that holds only part of it is unfinished whatever
 *                    else it shows
 */
public record TurnContext(Duration silence, String transcript, List<ConversationTurn> recentTurns,
                          Duration minDelay, Duration maxDelay, double lastWordConfidence, Prosody prosody,
                          List<Word> words, ExpectedAnswer expected) {

    /** A context with nothing particular expected. */
    public TurnContext(Duration silence, String transcript, List<ConversationTurn> recentTurns,
                       Duration minDelay, Duration maxDelay, double lastWordConfidence, Prosody prosody,
                       List<Word> words) {
        this(silence, transcript, recentTurns, minDelay, maxDelay, lastWordConfidence, prosody, words, ExpectedAnswer.ANY);
    }

    /** A context without word confidence, prosody or word timings. */
    public TurnContext(Duration silence, String transcript, List<ConversationTurn> recentTurns,
                       Duration minDelay, Duration maxDelay) {
        this(silence, transcript, recentTurns, minDelay, maxDelay, Double.NaN, Prosody.UNKNOWN, List.of());
    }

    /** A context without prosody or word timings. */
    public TurnContext(Duration silence, String transcript, List<ConversationTurn> recentTurns,
                       Duration minDelay, Duration maxDelay, double lastWordConfidence) {
        this(silence, transcript, recentTurns, minDelay, maxDelay, lastWordConfidence, Prosody.UNKNOWN, List.of());
    }

    /** A context without word timings. */
    public TurnContext(Duration silence, String transcript, List<ConversationTurn> recentTurns,
                       Duration minDelay, Duration maxDelay, double lastWordConfidence, Prosody prosody) {
        this(silence, transcript, recentTurns, minDelay, maxDelay, lastWordConfidence, prosody, List.of());
    }

    public TurnContext {
        Objects.requireNonNull(silence, "silence");
        Objects.requireNonNull(transcript, "transcript");
        recentTurns = List.copyOf(recentTurns);
        Objects.requireNonNull(minDelay, "minDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(prosody, "prosody");
        words = List.copyOf(words);
        Objects.requireNonNull(expected, "expected");
        if (!(Double.isNaN(lastWordConfidence) || (lastWordConfidence >= 0 && lastWordConfidence <= 1))) {
            throw new IllegalArgumentException("lastWordConfidence must be within 0..1 or NaN, was " + lastWordConfidence);
        }
    }
}
