package io.parley.session;

import java.time.Duration;
import java.time.Instant;

/**
 * A user turn handed to the agent: exactly the text the agent answers, and how long it took.
 *
 * @param turnId               the turn
 * @param text                 the text the agent is answering
 * @param interimFallback      true if the final transcript did not come in time and the
 *                             latest interim result was used
 * @param typed                true for a turn sent as text ({@code sendText}/{@code respond})
 * @param endOfTurnDelay       user stopped speaking → turn ended; null for typed turns
 * @param transcriptDelay      turn ended → final transcript (or its timeout); null for typed turns
 * @param at                   when the turn was committed
 */
public record TurnCommit(long turnId, String text, boolean interimFallback, boolean typed,
                         Duration endOfTurnDelay, Duration transcriptDelay, Instant at) {
}
