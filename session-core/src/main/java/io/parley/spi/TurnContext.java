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
 */
public record TurnContext(Duration silence, String transcript, List<ConversationTurn> recentTurns,
                          Duration minDelay, Duration maxDelay, double lastWordConfidence, Prosody prosody) {

    /** A context without word confidence or prosody. */
    public TurnContext(Duration silence, String transcript, List<ConversationTurn> recentTurns,
                       Duration minDelay, Duration maxDelay) {
        this(silence, transcript, recentTurns, minDelay, maxDelay, Double.NaN, Prosody.UNKNOWN);
    }

    /** A context without prosody. */
    public TurnContext(Duration silence, String transcript, List<ConversationTurn> recentTurns,
                       Duration minDelay, Duration maxDelay, double lastWordConfidence) {
        this(silence, transcript, recentTurns, minDelay, maxDelay, lastWordConfidence, Prosody.UNKNOWN);
    }

    public TurnContext {
        Objects.requireNonNull(silence, "silence");
        Objects.requireNonNull(transcript, "transcript");
        recentTurns = List.copyOf(recentTurns);
        Objects.requireNonNull(minDelay, "minDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(prosody, "prosody");
        if (!(Double.isNaN(lastWordConfidence) || (lastWordConfidence >= 0 && lastWordConfidence <= 1))) {
            throw new IllegalArgumentException("lastWordConfidence must be within 0..1 or NaN, was " + lastWordConfidence);
        }
    }
}
