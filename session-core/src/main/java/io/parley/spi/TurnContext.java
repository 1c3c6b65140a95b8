package io.parley.spi;

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
 */
public record TurnContext(Duration silence, String transcript, List<ConversationTurn> recentTurns,
                          Duration minDelay, Duration maxDelay) {
    public TurnContext {
        Objects.requireNonNull(silence, "silence");
        Objects.requireNonNull(transcript, "transcript");
        recentTurns = List.copyOf(recentTurns);
        Objects.requireNonNull(minDelay, "minDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
    }
}
